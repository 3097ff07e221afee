"""Original demo content (invented Serbian news, people and institutions) for the demo loader."""

SECTIONS = [
    {"name": "Politika", "slug": "politika", "position": 1},
    {"name": "Ekonomija", "slug": "ekonomija", "position": 2},
    {"name": "Društvo", "slug": "drustvo", "position": 3},
    {"name": "Kultura", "slug": "kultura", "position": 4},
    {"name": "Sport", "slug": "sport", "position": 5},
]

AUTHORS = [
    {
        "name": "Milica Đurić",
        "slug": "milica-djuric",
        "bio": (
            "Urednica rubrike Društvo i autorka tekstova o lokalnoj samoupravi i komunalnim temama. U "
            "novinarstvu je od 2009. godine."
        ),
        "username": "urednik",
    },
    {
        "name": "Stefan Kovačević",
        "slug": "stefan-kovacevic",
        "bio": (
            "Ekonomski novinar koji prati poljoprivredu, zadrugarstvo i malu privredu. Pre dolaska u "
            "„Čitaonicu“ radio je na regionalnom radiju."
        ),
    },
    {
        "name": "Jovana Šarčević",
        "slug": "jovana-sarcevic",
        "bio": (
            "Piše o pozorištu, knjigama i likovnoj umetnosti. Diplomirala je srpsku književnost u Novom Sadu."
        ),
    },
    {
        "name": "Nenad Žikić",
        "slug": "nenad-zikic",
        "bio": (
            "Sportski novinar sa posebnom slabošću prema mlađim kategorijama i malim klubovima. Košarku i "
            "fudbal prati od 2012. godine."
        ),
    },
]

TAGS = [
    {"name": "Novi Sad", "slug": "novi-sad"},
    {"name": "Niš", "slug": "nis"},
    {"name": "Saobraćaj", "slug": "saobracaj"},
    {"name": "Budžet", "slug": "budzet"},
    {"name": "Poljoprivreda", "slug": "poljoprivreda"},
    {"name": "Komunalni radovi", "slug": "komunalni-radovi"},
    {"name": "Životna sredina", "slug": "zivotna-sredina"},
    {"name": "Zdravstvo", "slug": "zdravstvo"},
    {"name": "Biblioteke", "slug": "biblioteke"},
    {"name": "Pozorište", "slug": "pozoriste"},
    {"name": "Mladi", "slug": "mladi"},
    {"name": "Košarka", "slug": "kosarka"},
    {"name": "Fudbal", "slug": "fudbal"},
]

IMAGES = [
    {
        "key": "most-preko-dunava",
        "alt": "Most sa kamenim lukovima preko Dunava u sumrak, sa mirnom vodom u prvom planu.",
        "caption": "Most preko Dunava u Novom Sadu svakog dana pređe nekoliko hiljada biciklista i pešaka.",
        "credit": "Marko Ilić",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#1d3557", "#457b9d", "#f1faee"],
        "motif": "bridge",
    },
    {
        "key": "brda-fruske-gore",
        "alt": "Talasasti obronci Fruške gore u zelenim tonovima pod popodnevnim suncem.",
        "caption": "Obronci Fruške gore već decenijama privlače slikare iz cele zemlje.",
        "credit": "Arhiva Čitaonice",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#264653", "#2a9d8f", "#e9c46a"],
        "motif": "hills",
    },
    {
        "key": "vinogradi-fruske-gore",
        "alt": "Vinogradi na blagim padinama i niz brežuljaka koji se gube u izmaglici.",
        "caption": "Polaznici letnje škole slikali su i vinograde iznad Sremskih Karlovaca.",
        "credit": "Jovana Šarčević",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#3a5a40", "#a3b18a", "#dad7cd"],
        "motif": "hills",
    },
    {
        "key": "panorama-nisa",
        "alt": "Panorama grada u sumrak, sa nizom stambenih zgrada i osvetljenim prozorima.",
        "caption": "Pogled na centar Niša u večernjim satima.",
        "credit": "Čitaonica",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#22223b", "#4a4e69", "#f2e9e4"],
        "motif": "city",
    },
    {
        "key": "biciklisticka-staza",
        "alt": "Gradske zgrade u jutarnjem svetlu iznad širokog bulevara.",
        "caption": "Prve deonice nove mreže staza biće ucrtane na bulevarima u centru grada.",
        "credit": "Marko Ilić",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#3d405b", "#81b29a", "#f4f1de"],
        "motif": "city",
    },
    {
        "key": "gradski-stadion",
        "alt": "Fudbalski stadion sa prugastim travnjakom, belim linijama i reflektorima na stubovima.",
        "caption": "Gradski stadion u Lipovici dobiće novu rasvetu pred početak sezone.",
        "credit": "Dragan Nešić",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#14213d", "#4f772d", "#fefae0"],
        "motif": "stadium",
    },
    {
        "key": "kosarkaska-hala",
        "alt": "Osvetljen sportski teren okružen tribinama, snimljen sa najvišeg reda sedišta.",
        "caption": "Kadeti Mladosti igrali su finale pred punim tribinama.",
        "credit": "KK Mladost Valjevo",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#231942", "#c77d3a", "#f8f4e3"],
        "motif": "stadium",
    },
    {
        "key": "pozornica-festivala",
        "alt": "Pozornica uokvirena crvenim zavesama i glumac u snopu reflektora.",
        "caption": "Prizor sa jedne od proba za ovogodišnji festival „Mala scena“.",
        "credit": "Festival „Mala scena“",
        "restriction": "this_article",
        "restriction_note": "Samo za ovaj tekst – fotografiju je ustupio organizator festivala.",
        "palette": ["#3d0c11", "#9d0208", "#ffba08"],
        "motif": "stage",
    },
    {
        "key": "malinjaci-arilje",
        "alt": "Uredni redovi zasada malina koji se pružaju sve do šume na horizontu.",
        "caption": "Malinjaci u okolini Arilja pokrivaju gotovo svaku padinu.",
        "credit": "Ivana Lazić",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#386641", "#6a994e", "#f2e8cf"],
        "motif": "field",
    },
    {
        "key": "povrtnjaci-macva",
        "alt": "Prostrana njiva sa pravilnim redovima povrća pod vedrim nebom.",
        "caption": "Zadrugari iz Mačve povrće gaje na ukupno šezdesetak hektara.",
        "credit": "Stefan Kovačević",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#283618", "#a7c957", "#fefae0"],
        "motif": "field",
    },
    {
        "key": "obala-begeja",
        "alt": "Mirna reka koja vijuga između zelenih obala, sa drvoredom na horizontu.",
        "caption": "Obala Begeja posle akcije čišćenja koju su organizovali srednjoškolci.",
        "credit": "Čitaonica",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#0b3954", "#087e8b", "#bfd7ea"],
        "motif": "river",
    },
    {
        "key": "vodovod-lipovica",
        "alt": "Reka sa širokim travnatim obalama nedaleko od sela.",
        "caption": "Iz izvorišta pored reke vodom se snabdeva oko 9.000 stanovnika Lipovice.",
        "credit": "Opština Lipovica",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#1b4332", "#52b788", "#d8f3dc"],
        "motif": "river",
    },
    {
        "key": "brda-oko-lipovice",
        "alt": "Brežuljci obrasli livadama i šumom u toplom popodnevnom svetlu.",
        "caption": "Sela na obroncima iznad Lipovice prva su na redu za novu vodovodnu mrežu.",
        "credit": "Arhiva Čitaonice",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#432818", "#99582a", "#ffe6a7"],
        "motif": "hills",
    },
    {
        "key": "zelena-pijaca",
        "alt": "Tezge sa prugastim tendama i gomilama voća i povrća na gradskoj pijaci.",
        "caption": "Zadružna tezga radi svakog dana osim ponedeljka, od 6 do 13 časova.",
        "credit": "Ana Stanković",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#bc4749", "#386641", "#f2e8cf"],
        "motif": "market",
    },
    {
        "key": "zgrada-skupstine",
        "alt": "Zgrada sa stubovima, trouglastim zabatom i kupolom na kojoj se vijori zastava.",
        "caption": "Zgrada gradske skupštine, čije će sednice od sledećeg meseca biti prenošene uživo.",
        "credit": "EPA-EFE/Agencija",
        "restriction": "editorial",
        "restriction_note": "Samo za uređivačku upotrebu, uz obavezno navođenje agencije.",
        "palette": ["#2b2d42", "#8d99ae", "#edf2f4"],
        "motif": "parliament",
    },
    {
        "key": "police-sa-knjigama",
        "alt": "Drvene police pune knjiga u tvrdom povezu različitih boja i visina.",
        "caption": "U depou biblioteke čuva se više od 200.000 publikacija.",
        "credit": "Arhiva Čitaonice",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#582f0e", "#936639", "#ede0d4"],
        "motif": "books",
    },
    {
        "key": "stare-novine",
        "alt": "Police sa ukoričenim godištima starih novina u čitaonici biblioteke.",
        "caption": "Ukoričena godišta „Podunavskog glasnika“ pre skeniranja.",
        "credit": "Biblioteka „Podunavlje“",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#3c1518", "#69140e", "#f2f3ae"],
        "motif": "books",
    },
    {
        "key": "kej-u-svitanje",
        "alt": "Kej uz Dunav u svitanje, sa šetačima i mostom u daljini.",
        "caption": "Sunčani kej u svitanje, pre nego što stignu prvi šetači.",
        "credit": "EPA-EFE/Andrej Čukić",
        "restriction": "editorial",
        "restriction_note": "",
        "palette": ["#22223b", "#9a8c98", "#f2e9e4"],
        "motif": "bridge",
    },
    {
        "key": "ribari-na-dunavu",
        "alt": "Dva ribarska čamca na mirnoj reci, sa vrbama na obali.",
        "caption": "Ribari sa Šodroša izlaze na reku pre šest ujutru.",
        "credit": "Dragana Perić",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#03045e", "#0077b6", "#caf0f8"],
        "motif": "river",
    },
    {
        "key": "petrovaradinska-tvrdjava",
        "alt": "Bedemi tvrđave na brdu iznad reke, obasjani popodnevnim suncem.",
        "caption": "Sa bedema Petrovaradinske tvrđave vidi se ceo grad.",
        "credit": "Tanjug/Nenad Mihajlović",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#6b705c", "#a5a58d", "#ffe8d6"],
        "motif": "hills",
    },
    {
        "key": "trg-u-podne",
        "alt": "Gradski trg sa zgradama u nizu i ljudima koji prelaze ulicu.",
        "caption": "Trg slobode u podne, kada se otvaraju bašte kafića.",
        "credit": "Beta/Milan Obradović",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#7f5539", "#b08968", "#ede0d4"],
        "motif": "city",
    },
    {
        "key": "limanska-pijaca",
        "alt": "Tezge sa povrćem i voćem pod šarenim suncobranima na pijaci.",
        "caption": "Na Limanskoj pijaci subotom je najveća gužva.",
        "credit": "FoNet",
        "restriction": "this_article",
        "restriction_note": "",
        "palette": ["#9c6644", "#606c38", "#fefae0"],
        "motif": "market",
    },
    {
        "key": "most-u-noci",
        "alt": "Osvetljen most preko reke noću, sa odsjajem svetala u vodi.",
        "caption": "Most slobode noću, kada se upale reflektori na pilonima.",
        "credit": "Jelena Vuković",
        "restriction": "",
        "restriction_note": "",
        "palette": ["#0d1b2a", "#415a77", "#e0e1dd"],
        "motif": "bridge",
    },
]

# Galleries of library photos (by key), each photo with the gallery's own caption or, if empty, its own.
GALLERIES = [
    {
        "key": "dan-uz-dunav",
        "title": "Jedan dan uz Dunav",
        "items": [
            ("kej-u-svitanje", ""),
            ("ribari-na-dunavu", ""),
            ("petrovaradinska-tvrdjava", ""),
            ("trg-u-podne", ""),
            ("limanska-pijaca", ""),
            ("most-preko-dunava", "Posle podne most pripada biciklistima i trkačima."),
            ("most-u-noci", ""),
        ],
    },
    {
        "key": "nocni-polumaraton",
        "title": "Noćni polumaraton",
        "items": [
            ("most-u-noci", "Trkači su tri puta prešli Dunav."),
            ("biciklisticka-staza", "Navijači su trkače bodrili celom dužinom keja."),
            ("gradski-stadion", "Cilj je bio na gradskom stadionu, posle ponoći."),
        ],
    },
]

ARTICLES = [
    {
        "section": "politika",
        "kicker": "Novi Sad",
        "title": "Gradsko veće Novog Sada usvojilo plan mreže biciklističkih staza duge 42 kilometra",
        "slug": "gradsko-vece-novog-sada-usvojilo-plan-mreze-biciklistickih-staza-duge-42",
        "lead": (
            "Prva faza, koja obuhvata bulevare u centru i vezu sa kampusom, trebalo bi da bude završena do "
            "kraja sledeće godine. Biciklisti pozdravljaju odluku, ali traže brže rokove."
        ),
        "body": (
            "<p>Gradsko veće Novog Sada usvojilo je na jučerašnjoj sednici plan mreže biciklističkih staza "
            "ukupne dužine 42 kilometra. Plan predviđa da se postojeće, međusobno nepovezane deonice spoje u "
            "jedinstvenu mrežu koja vodi od Detelinare i Novog naselja do centra, kampusa i keja. Dokument "
            "sada ide na javni uvid, a zatim pred Skupštinu grada.</p>\n"
            "<p>Prema procenama gradske Direkcije za saobraćaj, radovi bi koštali oko 380 miliona dinara, a "
            "najveći deo novca obezbeđen je u budžetu za naredne dve godine. Izrada projektne dokumentacije "
            "za prvu fazu počinje već ovog meseca.</p>\n"
            "<h2>Šta donosi prva faza</h2>\n"
            "<p>Prva faza trebalo bi da bude završena do kraja sledeće godine. Njom su obuhvaćena tri "
            "pravca, ukupne dužine 12,5 kilometara:</p>\n"
            "<ul><li>Bulevar oslobođenja, od Železničke stanice do Mosta slobode (6,2 km);</li><li>veza "
            "Limana i Univerzitetskog kampusa (3,8 km);</li><li>staza duž Sunčanog keja do Štranda (2,5 "
            "km).</li></ul>\n"
            "{{image:most-preko-dunava}}\n"
            "<p>Na mostovima će biciklisti dobiti posebno obeležene trake, a na raskrsnicama sa najgušćim "
            "saobraćajem biće postavljeni semafori sa zasebnim signalom za bicikle. Planirano je i 600 novih "
            "mesta za parkiranje bicikala, od čega polovina kod škola i fakulteta.</p>\n"
            "<blockquote><p>„Ne želimo da crtamo linije po trotoaru i da to zovemo stazom. Tamo gde ima "
            "mesta, staze će biti fizički odvojene od kolovoza ivičnjakom ili zelenim pojasom“, rekla je na "
            "sednici Tamara Lukić, rukovodilac Sektora za saobraćajno planiranje.</p></blockquote>\n"
            "<h2>Biciklisti traže brže rokove</h2>\n"
            "<p>Udruženje „Točak“, koje okuplja oko 1.500 gradskih biciklista, pozdravilo je usvajanje "
            "plana, ali upozorava da su rokovi za drugu i treću fazu preširoko postavljeni. Iz udruženja "
            "predlažu da se najopasnije raskrsnice urede odmah, privremenom signalizacijom, dok traje izrada "
            "projekata.</p>\n"
            "<p>Javni uvid traje 30 dana, a građani primedbe mogu da dostave pisarnici Gradske uprave ili "
            'elektronski, preko <a href="https://example.org/novi-sad/biciklisticke-staze">portala za javni '
            "uvid</a>. Odgovori na primedbe biće objavljeni pre sednice Skupštine grada.</p>"
        ),
        "authors": ["milica-djuric", "stefan-kovacevic"],
        "tags": ["novi-sad", "saobracaj", "budzet"],
        "hero": "biciklisticka-staza",
        "hero_caption": "",
        "hours_ago": 2,
        "updated_hours_ago": 1,
        "is_lead": True,
        "comments_enabled": True,
        "seo_description": (
            "Gradsko veće Novog Sada usvojilo je plan mreže biciklističkih staza od 42 kilometra. Prva faza "
            "do kraja sledeće godine."
        ),
    },
    {
        "section": "drustvo",
        "kicker": "Vodosnabdevanje",
        "title": "Radovi na vodovodu u Lipovici: tri sela bez vode od utorka do petka, cisterne na trgovima",
        "slug": "radovi-na-vodovodu-u-lipovici-tri-sela-bez-vode-od-utorka-do-petka-cisterne",
        "lead": (
            "Zbog zamene glavne cevi meštani Gornjeg Polja, Vrbice i Donje Lipovice ostaće bez vode četiri "
            "dana. Komunalno preduzeće obezbedilo je cisterne i flaširanu vodu."
        ),
        "body": (
            "<p>Meštani Gornjeg Polja, Vrbice i Donje Lipovice ostaće bez vode od utorka u 7 časova do petka "
            "u 18 časova, saopštilo je JKP „Vodovod Lipovica“. Razlog je zamena 1,8 kilometara glavne cevi, "
            "postavljene još 1968. godine, koja je samo prošle zime pucala jedanaest puta.</p>\n"
            "<p>Radovi koštaju 27 miliona dinara, a finansiraju se iz republičkog programa za obnovu "
            "vodovodne mreže. Nova cev od polietilena trebalo bi da traje najmanje pola veka.</p>\n"
            "<h2>Gde će biti cisterne</h2>\n"
            "<p>Dok traju radovi, cisterne sa pijaćom vodom biće dostupne svakog dana od 7 do 20 časova. "
            "Meštani mogu da donesu sopstvene posude, a preduzeće starijim sugrađanima deli i flaširanu "
            "vodu.</p>\n"
            "<ul><li>Gornje Polje – ispred Doma kulture;</li><li>Vrbica – kod osnovne škole „Vuk "
            "Karadžić“;</li><li>Donja Lipovica – na seoskom trgu, pored česme.</li></ul>\n"
            "{{image:brda-oko-lipovice}}\n"
            "<p>Domaćinstva koja imaju nepokretne ili bolesne članove mogu da zatraže dostavu vode na kućnu "
            "adresu. Prijave se primaju na broj dežurne službe preduzeća, svakog dana od 7 do 15 "
            "časova.</p>\n"
            "<p><strong>Ažurirano:</strong> Zbog najavljene kiše početak radova u Vrbici odložen je do "
            "srede. U ostala dva sela radovi počinju po planu, u utorak ujutru.</p>"
        ),
        "authors": ["milica-djuric"],
        "tags": ["komunalni-radovi"],
        "hero": "vodovod-lipovica",
        "hero_caption": "",
        "hours_ago": 5,
        "updated_hours_ago": 3,
        "is_lead": False,
        "comments_enabled": False,
        "seo_description": (
            "Gornje Polje, Vrbica i Donja Lipovica bez vode od utorka do petka zbog zamene glavne cevi. "
            "Raspored cisterni."
        ),
    },
    {
        "section": "sport",
        "kicker": "Košarka",
        "title": "Kadeti valjevske Mladosti osvojili međunarodni turnir u Ohridu bez ijednog poraza",
        "slug": "kadeti-valjevske-mladosti-osvojili-medjunarodni-turnir-u-ohridu-bez-ijednog",
        "lead": (
            "Mladi košarkaši pobedili su u svih pet utakmica, a u finalu savladali domaćina sa 78:71. Bek "
            "Luka Stevanović proglašen je za najkorisnijeg igrača turnira."
        ),
        "body": (
            "<p>Kadetska ekipa Košarkaškog kluba Mladost iz Valjeva osvojila je međunarodni turnir u Ohridu, "
            "na kom je učestvovalo dvanaest ekipa iz sedam zemalja. Valjevci su pobedili u svih pet "
            "utakmica, a u finalu su savladali domaći tim sa 78:71.</p>\n"
            "<p>Finale je bilo neizvesno do poslednjeg minuta, jer su domaćini posle treće četvrtine vodili "
            "sa šest poena razlike. Mladost je preokret napravila serijom 12:2, a odlučujuću trojku 40 "
            "sekundi pre kraja pogodio je kapiten Filip Đukić.</p>\n"
            "<h2>Stevanović najkorisniji igrač</h2>\n"
            "<p>Bek Luka Stevanović proglašen je za najkorisnijeg igrača turnira, sa prosekom od 19,4 poena "
            "i šest asistencija po utakmici. Centar Vuk Janjić uvršten je u idealnu petorku.</p>\n"
            "<blockquote><p>„Ovi momci treniraju zajedno od svoje osme godine i to se vidi na terenu. Niko "
            "ne igra za sebe, a kad zagusti, znaju da se oslone jedni na druge“, rekao je trener Goran "
            "Urošević.</p></blockquote>\n"
            "<p>Mladost je u grupi igrala protiv ekipa iz Grčke, Albanije i Bugarske. Put do trofeja "
            "izgledao je ovako:</p>\n"
            "<ul><li>grupa: tri pobede, uz prosečnu razliku od 17 poena;</li><li>polufinale: 69:64 protiv "
            "ekipe iz Sofije;</li><li>finale: 78:71 protiv domaćina.</li></ul>\n"
            "<p>Put na turnir klub je finansirao uz pomoć roditelja i lokalnih preduzetnika, jer je grad "
            "sredstva za ovu sezonu već podelio. Kadete na proleće čeka završni turnir državnog "
            "prvenstva.</p>"
        ),
        "authors": ["nenad-zikic"],
        "tags": ["kosarka", "mladi"],
        "hero": "kosarkaska-hala",
        "hero_caption": "",
        "hours_ago": 1,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Kadeti KK Mladost iz Valjeva osvojili su međunarodni turnir u Ohridu sa pet pobeda; Luka "
            "Stevanović najkorisniji igrač."
        ),
    },
    {
        "section": "politika",
        "kicker": "Niš",
        "title": (
            "Sednice Skupštine grada Niša od sledećeg meseca uživo na internetu, uz javni registar odluka"
        ),
        "slug": "sednice-skupstine-grada-nisa-od-sledeceg-meseca-uzivo-na-internetu-uz-javni",
        "lead": (
            "Građani će moći da prate rasprave u realnom vremenu i da pretražuju sve odluke usvojene od "
            "2015. godine. Snimci će ostajati dostupni najmanje deset godina."
        ),
        "body": (
            "<p>Sednice Skupštine grada Niša biće od sledećeg meseca prenošene uživo na internetu, a svi "
            "snimci ostaće dostupni u arhivi najmanje deset godina. Istovremeno će biti pokrenut javni "
            "registar u kom će se nalaziti sve odluke koje je skupština usvojila od 2015. godine.</p>\n"
            "<p>Predlog je podnela Komisija za informisanje, a podržale su ga sve odborničke grupe. Tehničku "
            "opremu, četiri kamere i sistem za titlovanje, grad je nabavio za 4,8 miliona dinara.</p>\n"
            "<h2>Pretraga po ulici i mesnoj zajednici</h2>\n"
            "<p>Registar će biti povezan sa mapom grada, pa će građani moći da pretražuju odluke po ulici, "
            "mesnoj zajednici ili oblasti. Uz svaku odluku biće objavljeni i obrazloženje, rezultat glasanja "
            "i zapisnik sa sednice.</p>\n"
            "{{image:panorama-nisa}}\n"
            "<p>U prvoj fazi u registar će biti uneto oko 4.200 dokumenata, a skeniranje starijih zapisnika "
            "trajaće do kraja godine. Gradska uprava najavljuje i mobilnu verziju registra.</p>\n"
            "<p>Udruženje „Otvoreni grad“, koje se godinama zalaže za veću dostupnost podataka lokalne "
            "samouprave, ocenilo je da je reč o važnom koraku. Iz udruženja su ipak podsetili da bi građani "
            "trebalo da dobiju i mogućnost da komentarišu predloge odluka pre nego što se o njima "
            "glasa.</p>\n"
            "<p><strong>Dopuna:</strong> Iz Gradske uprave naknadno su saopštili da će prvu sednicu "
            "prenositi i lokalna televizija. Snimci će dobiti titlove u roku od 48 sati.</p>"
        ),
        "authors": ["stefan-kovacevic", "milica-djuric"],
        "tags": ["nis", "budzet"],
        "hero": "zgrada-skupstine",
        "hero_caption": "",
        "hours_ago": 9,
        "updated_hours_ago": 4,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Skupština grada Niša uvodi prenos sednica uživo i javni registar svih odluka usvojenih od 2015. "
            "godine."
        ),
    },
    {
        "section": "ekonomija",
        "kicker": "Pijaca",
        "title": "Zadruga povrtara iz Mačve otvorila sopstvenu tezgu na šabačkoj pijaci i spustila cene",
        "slug": "zadruga-povrtara-iz-macve-otvorila-sopstvenu-tezgu-na-sabackoj-pijaci-i-spustila",
        "lead": (
            "Dvadeset tri domaćinstva iz okoline Šapca udružila su se kako bi povrće prodavala direktno "
            "kupcima. Paradajz i paprika na zadružnoj tezgi jeftiniji su za petinu."
        ),
        "body": (
            "<p>Zemljoradnička zadruga „Mačvanska bašta“, koju su osnovala 23 domaćinstva iz sela u okolini "
            "Šapca, otvorila je ovog meseca sopstvenu tezgu na gradskoj pijaci. Zadrugari povrće prodaju "
            "direktno kupcima, bez nakupaca, pa su cene paradajza, paprike i krastavaca niže za oko 20 "
            "odsto.</p>\n"
            "<p>Ideja je nastala prošle jeseni, kada su otkupne cene paradajza pale ispod 30 dinara po "
            "kilogramu. Proizvođači su tada izračunali da bi zajedničkom prodajom mogli da zarade više, a da "
            "kupci ipak plate manje nego kod preprodavaca.</p>\n"
            "{{image:povrtnjaci-macva}}\n"
            "<h2>Zajednička hladna komora i kombi</h2>\n"
            "<p>Zadruga je iz opštinskog fonda za razvoj poljoprivrede dobila 2,4 miliona dinara "
            "bespovratnih sredstava. Novac je utrošen na sledeće:</p>\n"
            "<ul><li>hladnu komoru kapaciteta 12 tona;</li><li>polovni dostavni kombi;</li><li>zakup dve "
            "tezge na pijaci na tri godine.</li></ul>\n"
            "<blockquote><p>„Ranije je svako od nas sam sedeo na pijaci po ceo dan, a kod kuće je posao "
            "stajao. Sada se smenjujemo, pa svako dežura jednom nedeljno“, objašnjava Slobodan Vasić, "
            "predsednik zadruge.</p></blockquote>\n"
            "<p>Kupci kažu da im je najvažnije što znaju odakle povrće stiže. Na tezgi je istaknut spisak "
            "svih domaćinstava, sa nazivom sela i vrstom proizvoda koje daju.</p>\n"
            "<p>Zadrugari planiraju da od jeseni uvedu i nedeljnu dostavu paketa povrća na kućnu adresu. "
            "Prijave za probni period, kako kažu, već su premašile njihove trenutne mogućnosti.</p>"
        ),
        "authors": ["stefan-kovacevic"],
        "tags": ["poljoprivreda"],
        "hero": "zelena-pijaca",
        "hero_caption": "",
        "hours_ago": 14,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Zadruga 23 domaćinstva iz Mačve prodaje povrće direktno na šabačkoj pijaci, po cenama nižim za "
            "petinu."
        ),
    },
    {
        "section": "kultura",
        "kicker": "Digitalizacija",
        "title": (
            "Biblioteka u Somboru digitalizovala sedam decenija „Podunavskog glasnika“, od 1870. do 1941."
        ),
        "slug": "biblioteka-u-somboru-digitalizovala-sedam-decenija-podunavskog-glasnika-od-1870",
        "lead": (
            "Više od 40.000 stranica lokalnog lista besplatno je dostupno na internetu, uz pretragu po "
            "rečima. Posao je trajao dve i po godine."
        ),
        "body": (
            "<p>Regionalna biblioteka „Podunavlje“ u Somboru završila je digitalizaciju „Podunavskog "
            "glasnika“, lokalnog lista koji je izlazio od 1870. do 1941. godine. Više od 40.000 stranica od "
            "danas je besplatno dostupno na internetu, uz mogućnost pretrage po rečima, imenima i "
            "datumima.</p>\n"
            "<p>Posao je trajao dve i po godine, a na njemu je radilo šest bibliotekara i dvoje volontera. "
            "Najstariji brojevi bili su toliko oštećeni da su pojedine stranice morale najpre da budu "
            "restaurirane, pa tek onda skenirane.</p>\n"
            "{{image:stare-novine}}\n"
            "<h2>Od cena žita do pozorišnih kritika</h2>\n"
            "<p>„Podunavski glasnik“ izlazio je dva puta nedeljno, a u periodu 1905–1914. čak svakog dana. U "
            "njemu su objavljivane vesti iz grada i okolnih sela, cene žita i stoke na vašarima, ali i "
            "pozorišne kritike, pesme i oglasi somborskih zanatlija.</p>\n"
            "<blockquote><p>„Istraživači su do sada morali da dolaze u čitaonicu i listaju ukoričena "
            "godišta, što je bilo sporo i štetno po papir. Sada porodice mogu od kuće da pronađu ‚svog‘ "
            "pradedu u oglasu za prodaju konja ili na spisku dobitnika vašarske lutrije“, kaže Vesna Čonkić, "
            "rukovodilac Odeljenja zavičajne zbirke.</p></blockquote>\n"
            "<p>Tekst je prepoznat softverom za optičko čitanje znakova, ali biblioteka upozorava da "
            "rezultati nisu savršeni, posebno kod oštećenih stranica iz prvih decenija. Korisnici mogu da "
            "prijave greške direktno na stranici, a ispravke će proveravati bibliotekari.</p>\n"
            "<p>Sledeći projekat biblioteke je digitalizacija razglednica i fotografija Sombora iz zavičajne "
            "zbirke. Biblioteka poziva i građane da donesu svoje stare fotografije, koje će biti skenirane i "
            "vraćene vlasnicima.</p>"
        ),
        "authors": ["jovana-sarcevic"],
        "tags": ["biblioteke"],
        "hero": "police-sa-knjigama",
        "hero_caption": "",
        "hours_ago": 20,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Biblioteka „Podunavlje“ u Somboru objavila je na internetu 40.000 digitalizovanih stranica "
            "„Podunavskog glasnika“."
        ),
    },
    {
        "section": "drustvo",
        "kicker": "Zrenjanin",
        "title": "Đaci iz Zrenjanina očistili obalu Begeja i zasadili dvesta sadnica duž šetališta",
        "slug": "djaci-iz-zrenjanina-ocistili-obalu-begeja-i-zasadili-dvesta-sadnica-duz",
        "lead": (
            "Više od 150 srednjoškolaca provelo je subotu na obali reke, odakle je izneto gotovo četiri tone "
            "otpada. Akciju su sami organizovali, preko učeničkih parlamenata."
        ),
        "body": (
            "<p>Više od 150 učenika iz pet zrenjaninskih srednjih škola provelo je subotu na obali Begeja, "
            "gde su sakupili gotovo četiri tone otpada i zasadili dvesta sadnica lipe i javora. Akcija je "
            "trajala od osam ujutru do kasnog popodneva, a pridružili su im se i nastavnici, roditelji i "
            "nekoliko ribolovaca.</p>\n"
            "<p>Ideju su pokrenuli članovi učeničkih parlamenata, koji su tokom zime mapirali divlje "
            "deponije duž reke. Sadnice je obezbedio gradski rasadnik, a komunalno preduzeće ustupilo je "
            "kamione i kontejnere.</p>\n"
            "<blockquote><p>„Svaki dan prolazimo ovuda do škole i dosta nam je bilo da gledamo kese po "
            "granju. Odlučili smo da ne čekamo da to neko drugi uradi“, kaže Teodora Mađarev, učenica trećeg "
            "razreda gimnazije.</p></blockquote>\n"
            "<h2>Šta je sve izvučeno iz reke</h2>\n"
            "<p>Među otpadom je najviše bilo plastičnih flaša i kesa, ali su učenici iz korita izvukli i dve "
            "automobilske gume, staru veš-mašinu i deo ograde. Ribolovci su pomogli čamcima, jer je deo "
            "obale teško pristupačan.</p>\n"
            "<p>Gradska uprava najavila je da će na šetalištu postaviti dvadeset novih korpi za otpad i "
            "table sa upozorenjem o kaznama za bacanje smeća. Učenici traže i kamere, bar na mestima gde su "
            "pronađene najveće deponije.</p>\n"
            "<p>Sledeća akcija planirana je za jesen, a organizatori pozivaju i osnovce da se priključe. "
            "Mapa deponija i prijave za volontere dostupne su na stranici <a "
            'href="https://example.org/zrenjanin/cist-begej">„Čist Begej“</a>.</p>'
        ),
        "authors": ["milica-djuric", "jovana-sarcevic"],
        "tags": ["zivotna-sredina", "mladi"],
        "hero": "obala-begeja",
        "hero_caption": "",
        "hours_ago": 26,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Više od 150 srednjoškolaca iz Zrenjanina očistilo je obalu Begeja i zasadilo 200 sadnica duž "
            "šetališta."
        ),
    },
    {
        "section": "politika",
        "kicker": "Lokalna samouprava",
        "title": "Građani Lipovice prvi put odlučuju na šta će se potrošiti deo opštinskog budžeta",
        "slug": "gradjani-lipovice-prvi-put-odlucuju-na-sta-ce-se-potrositi-deo-opstinskog",
        "lead": (
            "Opština Lipovica izdvojila je 15 miliona dinara za projekte koje predlože i izglasaju sami "
            "meštani. Predlozi se primaju do kraja meseca."
        ),
        "body": (
            "<p>Opština Lipovica prvi put uvodi participativni budžet: 15 miliona dinara iz ovogodišnjeg "
            "budžeta biće potrošeno na projekte koje predlože i izglasaju sami građani. Skupština opštine "
            "usvojila je odluku jednoglasno, posle javne rasprave u kojoj je učestvovalo više od 300 "
            "meštana.</p>\n"
            "<p>Predloge mogu da podnesu svi punoletni stanovnici opštine, udruženja i mesne zajednice. "
            "Jedan projekat ne može da košta više od tri miliona dinara i mora da bude završen u toku iste "
            "kalendarske godine.</p>\n"
            "<h2>Kako se glasa</h2>\n"
            "<p>Postupak je podeljen u tri koraka, a ceo proces trajaće do kraja juna. Opštinska komisija "
            "neće ocenjivati koliko je neki predlog dobar, već samo da li je izvodljiv i u nadležnosti "
            "opštine.</p>\n"
            "<ol><li>prikupljanje predloga, do kraja ovog meseca;</li><li>provera izvodljivosti i procena "
            "troškova, tri nedelje;</li><li>glasanje u mesnim zajednicama i elektronski, deset "
            "dana.</li></ol>\n"
            "<p>Među prvim predlozima su dečje igralište u Gornjem Polju, javna rasveta na putu ka "
            "železničkoj stanici i uređenje džade pored reke za šetnju i vožnju bicikla. Meštani Donje "
            "Lipovice predložili su da se obnovi stara česma na seoskom trgu.</p>\n"
            "<blockquote><p>„Ljudi najbolje znaju gde ih žulja cipela. Ako se pokaže da ovo radi, sledeće "
            "godine ćemo iznos udvostručiti“, kaže Dragana Popadić, načelnica Odeljenja za "
            "finansije.</p></blockquote>\n"
            "<p>Iskustva opština koje već primenjuju sličan model pokazuju da se na glasanje najčešće "
            "odazove između pet i deset odsto građana. U Lipovici se nadaju većem odzivu, jer će glasačko "
            "mesto postojati u svakom selu.</p>"
        ),
        "authors": ["milica-djuric"],
        "tags": ["budzet", "komunalni-radovi"],
        "hero": "brda-oko-lipovice",
        "hero_caption": (
            "Meštani sela iznad Lipovice među prvima su poslali predloge za participativni budžet."
        ),
        "hours_ago": 30,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Lipovica uvodi participativni budžet: 15 miliona dinara za projekte koje predlažu i biraju sami "
            "meštani."
        ),
    },
    {
        "section": "kultura",
        "kicker": "Pozorište",
        "title": "Festival „Mala scena“ u Čačku: dvanaest predstava za deset dana, ulaz za đake besplatan",
        "slug": "festival-mala-scena-u-cacku-dvanaest-predstava-za-deset-dana-ulaz-za-djake",
        "lead": (
            "Ovogodišnji festival otvara se u petak predstavom „Kuća na uglu“ trupe iz Subotice. Program je "
            "u potpunosti posvećen savremenom domaćem tekstu."
        ),
        "body": (
            "<p>Jedanaesti festival „Mala scena“ počinje u petak u Čačku i trajaće deset dana. Na programu "
            "je dvanaest predstava iz Srbije i regiona, a sve su nastale po tekstovima savremenih domaćih "
            "autora.</p>\n"
            "<p>Festival otvara predstava „Kuća na uglu“ nezavisne trupe „Pod krovom“ iz Subotice, komad o "
            "tri generacije jedne porodice koje se okupljaju kada treba prodati staru kuću. Predstava je "
            "prošle sezone osvojila nagradu publike na dva festivala.</p>\n"
            "<h2>Program po danima</h2>\n"
            "<p>Predstave se igraju na dve scene, u velikoj sali Doma kulture i u bivšoj štampariji u centru "
            "grada, koja je za potrebe festivala pretvorena u alternativni prostor. Posle svake predstave "
            "organizuju se razgovori sa autorima i glumcima.</p>\n"
            "<ul><li>petak–subota: predstave takmičarskog programa;</li><li>nedelja: čitanje novih dramskih "
            "tekstova;</li><li>ponedeljak–četvrtak: gostovanja iz regiona i radionice za "
            "srednjoškolce;</li><li>poslednji vikend: dodela nagrada i predstava prošlogodišnjeg "
            "pobednika.</li></ul>\n"
            "<blockquote><p>„Hteli smo da mladi ljudi vide da pozorište nije muzej. Kad prvi put gledaju "
            "predstavu o nečemu što i sami žive… e, tada ih dobijemo za ceo život“, kaže selektorka "
            "festivala Ljiljana Đokić.</p></blockquote>\n"
            "<p>Ulaz na sve predstave za učenike i studente je besplatan, uz đačku ili studentsku karticu. "
            "Ostale ulaznice koštaju 600 dinara, a festivalska propusnica za svih deset dana 3.500 "
            "dinara.</p>\n"
            "<p>Ulaznice se prodaju na blagajni Doma kulture radnim danima, 10–14 i 18–20 časova. Za "
            "pozorišne radionice potrebna je prethodna prijava.</p>"
        ),
        "authors": ["jovana-sarcevic"],
        "tags": ["pozoriste", "mladi"],
        "hero": "pozornica-festivala",
        "hero_caption": "Prizor iz predstave „Kuća na uglu“, kojom se festival otvara u petak.",
        "hours_ago": 44,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Festival „Mala scena“ u Čačku: dvanaest predstava za deset dana, a ulaz za učenike i studente "
            "besplatan."
        ),
    },
    {
        "section": "ekonomija",
        "kicker": "Malinari",
        "title": "Voćari iz Arilja grade zajedničku hladnjaču kako bi malinu prodavali bez posrednika",
        "slug": "vocari-iz-arilja-grade-zajednicku-hladnjacu-kako-bi-malinu-prodavali",
        "lead": (
            "Hladnjača kapaciteta 800 tona trebalo bi da bude gotova pre sledeće berbe. Oko 140 proizvođača "
            "uložilo je sopstveni novac, a opština je dala zemljište."
        ),
        "body": (
            "<p>Udruženje proizvođača „Ariljska malina“ počelo je izgradnju zajedničke hladnjače kapaciteta "
            "800 tona na placu u industrijskoj zoni. Oko 140 malinara uložilo je ukupno 46 miliona dinara, a "
            "opština je obezbedila zemljište i priključke na struju i vodu.</p>\n"
            "<p>Proizvođači se godinama žale da otkupljivači diktiraju cenu, jer sami nemaju gde da čuvaju "
            "smrznutu malinu. Sa sopstvenom hladnjačom moći će da sačekaju bolju cenu i da direktno "
            "ugovaraju izvoz.</p>\n"
            "<h2>Gradnja u dve faze</h2>\n"
            "<p>Prva faza, koja obuhvata komore za zamrzavanje i skladište, trebalo bi da bude završena do "
            "maja. U drugoj fazi, koja zavisi od ishoda konkursa za ruralni razvoj, biće postavljena linija "
            "za sortiranje i pakovanje.</p>\n"
            "<blockquote><p>„Jedna loša sezona može da pojede zaradu od tri dobre. Hladnjača nam daje vreme, "
            "a vreme je na tržištu voća sve“, kaže Milan Jeremić, malinar i član upravnog odbora "
            "udruženja.</p></blockquote>\n"
            "<p>Ekonomisti upozoravaju da zajednička hladnjača donosi i rizike, jer članovi moraju da se "
            "dogovore o ceni i rokovima prodaje. Iskustva iz drugih voćarskih krajeva pokazuju da takve "
            "zadruge opstaju ako imaju profesionalnog direktora, a ne samo volontere iz redova "
            "proizvođača.</p>\n"
            "<p><strong>Ispravka:</strong> U prvoj verziji teksta navedeno je da hladnjača ima kapacitet 600 "
            "tona. Tačan podatak je 800 tona, zbog čega se izvinjavamo čitaocima.</p>"
        ),
        "authors": ["stefan-kovacevic"],
        "tags": ["poljoprivreda"],
        "hero": "malinjaci-arilje",
        "hero_caption": "",
        "hours_ago": 52,
        "updated_hours_ago": 40,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Oko 140 malinara iz Arilja gradi zajedničku hladnjaču od 800 tona kako bi malinu prodavali bez "
            "posrednika."
        ),
    },
    {
        "section": "ekonomija",
        "kicker": "Zapošljavanje",
        "title": "Kragujevačka fabrika „Dren nameštaj“ proširuje proizvodnju i zapošljava 60 novih radnika",
        "slug": "kragujevacka-fabrika-dren-namestaj-prosiruje-proizvodnju-i-zaposljava-60-novih",
        "lead": (
            "Nova hala od 3.000 kvadratnih metara biće otvorena na proleće. Prednost pri zapošljavanju imaće "
            "učenici iz programa dualnog obrazovanja."
        ),
        "body": (
            "<p>Porodična fabrika „Dren nameštaj“ iz Kragujevca počela je izgradnju nove proizvodne hale od "
            "3.000 kvadratnih metara u radnoj zoni na obodu grada. Vrednost investicije je oko 2,1 milion "
            "evra, a u novom pogonu posao će dobiti 60 radnika.</p>\n"
            "<p>Fabrika je osnovana 1994. godine kao stolarska radionica sa četiri zaposlena, a danas ima "
            "140 radnika. Najveći deo proizvodnje, pre svega trpezarijski stolovi i stolice od punog drveta, "
            "izvozi se u Austriju, Nemačku i Sloveniju.</p>\n"
            "<p>Direktorka Snežana Radojević kaže da je najveći problem pronaći kvalifikovane stolare i "
            "tapetare. Zato fabrika već treću godinu učestvuje u dualnom obrazovanju sa jednom lokalnom "
            "srednjom školom, a učenici deo nastave provode u pogonu.</p>\n"
            "<p>Fabrika je objavila oglas za prvih 25 radnih mesta. Traže se:</p>\n"
            "<ul><li>stolari i pomoćni stolari;</li><li>tapetari;</li><li>operateri na CNC "
            "mašinama;</li><li>magacioneri i vozači.</li></ul>\n"
            "<p>Prednost pri zapošljavanju imaće učenici dualnog obrazovanja koji ove godine završavaju "
            "školovanje. Prosečna neto plata u fabrici, prema rečima direktorke, iznosi oko 95.000 "
            "dinara.</p>\n"
            "<p>Nova hala trebalo bi da bude otvorena na proleće, a mašine su već naručene. Do kraja sledeće "
            "godine fabrika planira da izvoz poveća za trećinu.</p>"
        ),
        "authors": ["stefan-kovacevic"],
        "tags": ["mladi"],
        "hero": None,
        "hero_caption": "",
        "hours_ago": 75,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "„Dren nameštaj“ iz Kragujevca otvara novu halu i zapošljava 60 radnika, uz prednost za učenike "
            "dualnog obrazovanja."
        ),
    },
    {
        "section": "drustvo",
        "kicker": "Zdravstvo",
        "title": "Dom zdravlja u Pirotu uvodi zakazivanje pregleda SMS porukom i podsetnike za termine",
        "slug": "dom-zdravlja-u-pirotu-uvodi-zakazivanje-pregleda-sms-porukom-i-podsetnike",
        "lead": (
            "Pacijenti će termin kod izabranog lekara moći da zakažu kratkom porukom, a dan ranije stizaće "
            "im podsetnik. Usluga počinje da radi prvog dana sledećeg meseca."
        ),
        "body": (
            "<p>Dom zdravlja u Pirotu od prvog dana sledećeg meseca uvodi zakazivanje pregleda putem SMS "
            "poruke. Pacijenti šalju poruku sa prezimenom izabranog lekara i ličnim brojem osiguranika, a u "
            "roku od sat vremena dobijaju predlog termina.</p>\n"
            "<p>Dan pre pregleda sistem će slati podsetnik, uz mogućnost da se termin otkaže odgovorom na "
            "poruku. Uprava očekuje da će tako smanjiti broj propuštenih pregleda, kojih je prošle godine "
            "bilo gotovo 9.000.</p>\n"
            "<h3>Kako zakazati pregled</h3>\n"
            "<p>Poruka se šalje na poseban broj, koji će biti istaknut u svim ambulantama i na sajtu doma "
            "zdravlja. Cena poruke ista je kao cena obične poruke u mreži korisnika.</p>\n"
            "<ol><li>u poruci navedite prezime izabranog lekara;</li><li>dodajte lični broj osiguranika sa "
            "zdravstvene kartice;</li><li>sačekajte predlog termina i potvrdite ga odgovorom "
            "„DA“.</li></ol>\n"
            "<p>Zakazivanje telefonom i na šalteru i dalje će raditi kao do sada. Stariji pacijenti, kako "
            "kažu u domu zdravlja, najradije dolaze lično, pa nijedan od postojećih načina neće biti "
            "ukinut.</p>\n"
            "<p>Sistem je razvila mala softverska firma iz Pirota, a probni rad u jednoj seoskoj ambulanti "
            "pokazao je da se čekanje na termin skraćuje u proseku za dva dana. Ukoliko se model pokaže "
            "uspešnim, biće proširen i na stomatološku službu.</p>"
        ),
        "authors": ["milica-djuric"],
        "tags": ["zdravstvo"],
        "hero": None,
        "hero_caption": "",
        "hours_ago": 100,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Dom zdravlja u Pirotu od sledećeg meseca uvodi zakazivanje pregleda SMS porukom i podsetnike "
            "dan pre termina."
        ),
    },
    {
        "section": "sport",
        "kicker": "Fudbal",
        "title": "Fudbaleri Rudara iz Lipovice posle devetnaest godina ponovo u Zonskoj ligi",
        "slug": "fudbaleri-rudara-iz-lipovice-posle-devetnaest-godina-ponovo-u-zonskoj-ligi",
        "lead": (
            "Pobedom od 2:0 u poslednjem kolu ekipa sastavljena uglavnom od domaćih igrača obezbedila je "
            "prvo mesto. Na stadionu je bilo gotovo 2.000 navijača."
        ),
        "body": (
            "<p>Fudbalski klub Rudar iz Lipovice obezbedio je u nedelju plasman u Zonsku ligu, pošto je u "
            "poslednjem kolu Okružne lige pobedio ekipu Jedinstva sa 2:0. Klub se tako posle devetnaest "
            "godina vraća u četvrti rang takmičenja.</p>\n"
            "<p>Golove su postigli napadač Marko Tešić u 34. i vezista Nikola Cvijić u 81. minutu. Utakmicu "
            "je sa tribina pratilo gotovo 2.000 gledalaca, najviše u poslednjih dvadeset godina.</p>\n"
            "<h2>Domaći igrači i stari dresovi</h2>\n"
            "<p>U prvom timu Rudara igra čak četrnaest fudbalera poniklih u klubu, a najstariji među njima, "
            "golman Saša Žigić, ima 37 godina. Trener Zoran Babić preuzeo je ekipu pre dve sezone, kada je "
            "klub bio na dnu tabele.</p>\n"
            "<p>Pred utakmicu navijači su na tribini razvili zastavu sa imenima igrača generacije koja je "
            "klub poslednji put uvela u Zonsku ligu. Nekoliko njih bilo je na stadionu i posle utakmice se "
            "fotografisalo sa sadašnjim igračima, u starim dresovima.</p>\n"
            "<p>Uprava kluba najavila je da će pred početak nove sezone biti zamenjena rasveta na stadionu i "
            "obnovljene svlačionice. Opština je za te radove već obezbedila četiri miliona dinara.</p>"
        ),
        "authors": ["nenad-zikic"],
        "tags": ["fudbal"],
        "hero": "gradski-stadion",
        "hero_caption": "",
        "hours_ago": 120,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "FK Rudar iz Lipovice posle 19 godina vratio se u Zonsku ligu pobedom od 2:0 u poslednjem kolu."
        ),
    },
    {
        "section": "kultura",
        "kicker": "Likovna umetnost",
        "title": "Letnja škola slikanja na Fruškoj gori okupila četrdeset mladih umetnika iz šest zemalja",
        "slug": "letnja-skola-slikanja-na-fruskoj-gori-okupila-cetrdeset-mladih-umetnika-iz-sest",
        "lead": (
            "Dve nedelje slikali su manastirske porte, vinograde i šumske staze, a radovi će od jeseni biti "
            "izloženi u Novom Sadu. Najmlađa polaznica ima petnaest godina."
        ),
        "body": (
            "<p>Letnja škola slikanja u prirodi, koju devetu godinu zaredom organizuje novosadsko udruženje "
            "„Paleta“, završena je u nedelju izložbom na otvorenom u Sremskim Karlovcima. Ovog leta "
            "učestvovalo je četrdeset polaznika iz Srbije, Hrvatske, Bosne i Hercegovine, Mađarske, "
            "Slovenije i Severne Makedonije.</p>\n"
            "<p>Polaznici su dve nedelje živeli u planinarskom domu i svakog jutra odlazili na drugu "
            "lokaciju. Slikali su manastirske porte, vinograde iznad Karlovaca, šumske staze i pogled na "
            "Dunav sa Stražilova.</p>\n"
            "{{image:vinogradi-fruske-gore}}\n"
            "<h2>Mentori iz tri generacije</h2>\n"
            "<p>Sa polaznicima su radila četiri mentora, od kojih je najstariji, slikar Radivoj Bešlić, "
            "učestvovao još na prvim likovnim kolonijama na Fruškoj gori sedamdesetih godina. Najmlađa "
            "mentorka, Dunja Ćirić, i sama je pre osam godina bila polaznica škole.</p>\n"
            "<p>Prema pravilima škole, svaki polaznik poklanja udruženju po jedan rad. Tako je nastala "
            "stalna zbirka koja danas broji više od 300 slika, crteža i akvarela.</p>\n"
            "<p>Izbor od pedeset radova nastalih ovog leta biće izložen od oktobra u galeriji udruženja u "
            "Novom Sadu. Prijave za sledeću godinu otvaraju se u martu.</p>"
        ),
        "authors": ["jovana-sarcevic"],
        "tags": ["mladi", "novi-sad"],
        "hero": "brda-fruske-gore",
        "hero_caption": "",
        "hours_ago": 150,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Četrdeset mladih slikara iz šest zemalja dve nedelje je radilo na Fruškoj gori; izložba radova "
            "na jesen u Novom Sadu."
        ),
    },
    {
        "section": "sport",
        "kicker": "Trčanje",
        "title": "Noćni polumaraton preko novosadskih mostova okupio 1.800 trkača iz četrnaest zemalja",
        "slug": "nocni-polumaraton-preko-novosadskih-mostova-okupio-1800-trkaca-iz-cetrnaest",
        "lead": (
            "Najbrži su bili Miloš Radić sa 1:08:42 i Ana Šimić sa 1:19:15. Trasa je prvi put prošla preko "
            "sva tri gradska mosta."
        ),
        "body": (
            "<p>Više od 1.800 trkača iz četrnaest zemalja učestvovalo je u subotu uveče na četvrtom Noćnom "
            "polumaratonu u Novom Sadu. Trasa duga 21,1 kilometar prvi put je prošla preko sva tri gradska "
            "mosta, od Sunčanog keja do Petrovaradinske tvrđave i nazad.</p>\n"
            "<p>Kod muškaraca je pobedio Miloš Radić iz Kraljeva sa vremenom 1:08:42, dok je kod žena "
            "najbrža bila Ana Šimić iz Zagreba sa 1:19:15. Oboje su oborili rekorde staze, koji su važili od "
            "prve trke.</p>\n"
            "{{gallery:nocni-polumaraton}}\n"
            "<h2>Štafete, rekreativci i navijači uz trasu</h2>\n"
            "<p>Pored glavne trke, održane su i štafetna trka za timove od četiri člana i trka zadovoljstva "
            "na pet kilometara. Najviše prijava stiglo je upravo za kraću stazu, na kojoj je trčalo oko 900 "
            "rekreativaca, među njima i cele porodice.</p>\n"
            "<blockquote><p>„Trčati preko Dunava noću, dok ti ljudi sa mostova aplaudiraju, nešto je što se "
            "ne zaboravlja. Dolazim i sledeće godine, makar hodala poslednjih pet kilometara“, rekla je na "
            "cilju Jelena Katić iz Beograda.</p></blockquote>\n"
            "<p>Zbog trke je saobraćaj preko mostova bio obustavljen od 20 do 24 časa, a gradski autobusi "
            "išli su izmenjenim trasama. Organizatori su se unapred izvinili građanima, a sledeće godine "
            "planiraju da start pomere sat ranije.</p>\n"
            "<p>Prijave za sledeću trku otvaraju se u februaru, a broj učesnika biće ograničen na 2.500. "
            "Kompletni rezultati dostupni su na <a "
            'href="https://example.org/nocni-polumaraton/rezultati">stranici organizatora</a>.</p>'
        ),
        "authors": ["nenad-zikic", "milica-djuric"],
        "tags": ["novi-sad", "saobracaj"],
        "hero": "most-preko-dunava",
        "hero_caption": "Trasa polumaratona prvi put je prošla preko sva tri novosadska mosta.",
        "hours_ago": 198,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Noćni polumaraton u Novom Sadu okupio je 1.800 trkača iz 14 zemalja; trasa je prvi put prešla "
            "sva tri mosta."
        ),
    },
    {
        "section": "drustvo",
        "kicker": "Foto-priča",
        "title": "Jedan dan uz Dunav: od ribara u svitanje do mosta u ponoć",
        "slug": "jedan-dan-uz-dunav-od-ribara-u-svitanje-do-mosta-u-ponoc",
        "lead": (
            "Naši fotografi i agencije pratili su jedan običan novosadski dan uz reku, od prvih ribara do "
            "svetala na mostovima."
        ),
        "body": (
            "<p>Dunav je Novom Sadu i kej i pijaca i put do posla. Jednog oktobarskog dana pratili smo "
            "grad uz reku od svitanja do ponoći, a fotografije su snimili naši saradnici i agencije.</p>\n"
            "<p>Najranije ustaju ribari sa Šodroša, a poslednji odlaze šetači sa Mosta slobode, koji se "
            "noću osvetljava od proleća ove godine.</p>"
        ),
        "authors": ["jovana-sarcevic"],
        "tags": ["novi-sad"],
        "hero": None,
        "hero_caption": "",
        "lead_gallery": "dan-uz-dunav",
        "hours_ago": 5,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Jedan novosadski dan uz Dunav u sedam fotografija, od ribara u svitanje do mosta u ponoć."
        ),
    },
    {
        "section": "kultura",
        "kicker": "Muzika",
        "title": "Dečji hor iz Kikinde snimio spot u napuštenoj ciglani: pola miliona pregleda za sedam dana",
        "slug": "decji-hor-iz-kikinde-snimio-spot-u-napustenoj-ciglani",
        "lead": (
            "Četrdeset pevača od sedam do četrnaest godina otpevalo je staru banatsku pesmu među pećima "
            "ciglane zatvorene pre trideset godina. Spot je pogledalo više od pola miliona ljudi."
        ),
        "body": (
            "<p>Dečji hor „Zvončići“ iz Kikinde objavio je prošle nedelje spot za staru banatsku pesmu, "
            "snimljen u napuštenoj ciglani na obodu grada. Za sedam dana spot je pogledalo više od pola "
            "miliona ljudi, a hor su pozvala dva festivala u inostranstvu.</p>\n"
            '<figure data-embed-url="https://www.youtube.com/watch?v=M7lc1UVf-VE" '
            'data-title="Hor „Zvončići“: Banatska pesma, spot snimljen u ciglani"></figure>\n'
            "<p>Snimanje je trajalo dva dana, a scenografiju su činile stare peći i gomile cigala koje su "
            "deca sama složila. Kamerom je upravljao otac jedne od pevačica, snimatelj lokalne "
            "televizije.</p>\n"
            "<h2>Čestitke i sa druge strane okeana</h2>\n"
            "<p>Spot je podelio i jedan poznati kompozitor filmske muzike, uz poruku koju su deca odštampala "
            "i okačila u sali za probe.</p>\n"
            '<figure data-embed-url="https://x.com/citaonica/status/1865123456789012345" '
            'data-title="Čestitka horu „Zvončići“ na mreži X"></figure>\n'
            "<p>Hor sledećeg meseca počinje pripreme za novi program, a grad je obećao da će deo ciglane "
            "urediti za koncerte na otvorenom.</p>"
        ),
        "authors": ["jovana-sarcevic"],
        "tags": [],
        "hero": None,
        "hero_caption": "",
        "hours_ago": 220,
        "updated_hours_ago": None,
        "is_lead": False,
        "comments_enabled": True,
        "seo_description": (
            "Dečji hor iz Kikinde snimio je spot u napuštenoj ciglani; za nedelju dana pogledalo ga je pola "
            "miliona ljudi."
        ),
    },
]

# Work in progress on the editors' desk (the overview "Urednički pregled"): not yet public. ``hours_ago`` is
# negative for a scheduled article and None for one with no publication time yet.
DESK_ARTICLES = [
    {
        "section": "kultura",
        "kicker": "Pozorište",
        "title": "Srpsko narodno pozorište objavilo repertoar za januar: četiri premijere",
        "slug": "srpsko-narodno-pozoriste-repertoar-za-januar",
        "lead": "Sezona se nastavlja „Ženidbom“ u režiji gostujućeg reditelja i dvema predstavama za decu.",
        "body": "<p>Repertoar za januar donosi četiri premijere i jedanaest repriza.</p>",
        "authors": ["jovana-sarcevic"],
        "tags": ["pozoriste", "novi-sad"],
        "status": "ready",
        "hours_ago": None,
    },
    {
        "section": "sport",
        "kicker": "Košarka",
        "title": "Vojvodina dočekuje lidera: rasprodate sve ulaznice za subotnji derbi",
        "slug": "vojvodina-docekuje-lidera-rasprodate-ulaznice",
        "lead": "Klub najavljuje da će na utakmici biti više od pet hiljada gledalaca.",
        "body": "<p>Sve ulaznice za subotnji derbi prodate su za manje od dva sata.</p>",
        "authors": ["nenad-zikic"],
        "tags": ["kosarka"],
        "status": "ready",
        "hours_ago": None,
    },
    {
        "section": "ekonomija",
        "kicker": "Poljoprivreda",
        "title": "Otkupna cena kukuruza pala treću nedelju zaredom",
        "slug": "otkupna-cena-kukuruza-pala-trecu-nedelju",
        "lead": "Ratari traže da država otkupi deo roda za robne rezerve.",
        "body": "<p>Na produktnoj berzi kukuruz je ove nedelje pojeftinio za tri odsto.</p>",
        "authors": ["stefan-kovacevic"],
        "tags": ["poljoprivreda"],
        "status": "published",
        "hours_ago": -2,
    },
    {
        "section": "drustvo",
        "kicker": "Zdravstvo",
        "title": "Dom zdravlja produžava radno vreme ambulanti tokom praznika",
        "slug": "dom-zdravlja-produzava-radno-vreme-tokom-praznika",
        "lead": "Ambulante na Limanu i Detelinari radiće i subotom do 20 časova.",
        "body": "<p>Od sledećeg ponedeljka ambulante rade duže.</p>",
        "authors": ["milica-djuric"],
        "tags": ["zdravstvo", "novi-sad"],
        "status": "draft",
        "hours_ago": None,
    },
]

# A live blog ("Praćenje uživo"): short entries, the newest last here, each ``minutes_ago`` before loading.
LIVE_BLOGS = [
    {
        "section": "sport",
        "kicker": "Praćenje uživo",
        "title": "Noćni polumaraton kroz Novi Sad: trka iz minuta u minut",
        "slug": "nocni-polumaraton-kroz-novi-sad-trka-iz-minuta-u-minut",
        "lead": (
            "Više od četiri hiljade trkača startovalo je sa Trga slobode. Pratimo trku, saobraćaj i "
            "atmosferu na stazi dok poslednji takmičari ne prođu kroz cilj."
        ),
        "body": (
            "<p>Staza polumaratona vodi od Trga slobode preko Mosta slobode do Petrovaradina i nazad, kejom "
            "do Štranda i kroz Liman do cilja na Trgu. Deo ulica u centru zatvoren je za saobraćaj do 23 "
            "časa.</p>"
        ),
        "hero": "most-u-noci",
        # The desk follows the race, not a discussion: the demo comments go to other articles.
        "comments_enabled": False,
        "authors": ["nenad-zikic"],
        "tags": ["novi-sad"],
        "hours_ago": 1,
        "live_summary": (
            "Trka je počela u 20 časova, deset minuta kasnije nego što je najavljeno.\n\n"
            "Ulice oko Trga slobode i Bulevar oslobođenja zatvoreni su za saobraćaj do 23 časa."
        ),
        "live_entries": [
            {
                "minutes_ago": 58,
                "text": (
                    "Start je pomeren za deset minuta zbog gužve na ulazu u startni koridor. Organizatori "
                    "mole trkače da se rasporede prema očekivanom vremenu."
                ),
            },
            {
                "minutes_ago": 50,
                "text": "Trka je počela! Prva grupa od oko 300 trkača već je na Bulevaru Mihajla Pupina.",
                "image": "petrovaradinska-tvrdjava",
            },
            {
                "minutes_ago": 37,
                "text": (
                    "Vodeća grupa prešla je Most slobode. Na okrepnoj stanici kod Petrovaradina volonteri "
                    "dele vodu i banane.\n\nNavijači su se okupili duž keja."
                ),
            },
            {
                "minutes_ago": 24,
                "text": "Snimak starta sa tribine na Trgu slobode objavili su organizatori.",
                "embed_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                "embed_title": "Start noćnog polumaratona sa Trga slobode",
            },
            {
                "minutes_ago": 11,
                "text": (
                    "Na dvanaestom kilometru vodi trojka trkača iz Kenije i Etiopije, dok je najbolji domaći "
                    "takmičar minut iza njih."
                ),
            },
            {
                "minutes_ago": 3,
                "text": "Pobednik je prošao kroz cilj za 1:03:41, novi rekord staze. Trka se nastavlja.",
            },
        ],
    },
]

# Corrections and replies at the end of demo articles (by slug); hours before now.
NOTES = [
    {
        "article": "radovi-na-vodovodu-u-lipovici-tri-sela-bez-vode-od-utorka-do-petka-cisterne",
        "kind": "correction",
        "hours_ago": 3,
        "text": (
            "U prvoj verziji teksta navedeno je da cisterne stoje i ispred škole u Vrbici. Cisterna je "
            "postavljena na trgu kod mesne zajednice, a ne ispred škole."
        ),
    },
    {
        "article": "radovi-na-vodovodu-u-lipovici-tri-sela-bez-vode-od-utorka-do-petka-cisterne",
        "kind": "reply",
        "hours_ago": 2,
        "replied_by": "Dragan Lazić, direktor JKP „Vodovod Lipovica“",
        "text": (
            "Radovi nisu odloženi zbog nedostatka novca, kako se u tekstu navodi, već zbog kasne isporuke "
            "cevi.\n\n"
            "Sredstva za zamenu glavne cevi obezbeđena su još u proleće."
        ),
    },
]

# The demo impresum: made-up names and numbers, for the page and the audit to show every item.
IMPRESUM = {
    "publisher": "Čitaonica mediji d.o.o.",
    "address": "Ulica lipa 12, 11000 Beograd",
    "editor_in_chief": "Vesna Radulović",
    "registration_number": "NV 000 DEMO",
    "contact_email": "redakcija@citaonica.example",
    "contact_phone": "+381 11 000 0000",
    "other_staff": (
        "Zamenik glavnog urednika: Milan Todorović\nUrednica fotografije: Sanja Perišić\n"
        "Lektura: Ivana Stojković"
    ),
}

# The demo contact page, in place of the starter text the data migration wrote.
CONTACT_PAGE = (
    '<p>Redakcija: <a href="mailto:redakcija@citaonica.example">redakcija@citaonica.example</a>, '
    "telefon +381 11 000 0000, radnim danima od 9 do 17 časova.</p>"
    "<h2>Ispravke i odgovori</h2>"
    "<p>Zahtev za ispravku ili odgovor pošaljite na istu adresu, uz naslov i adresu teksta. Odgovaramo u "
    "roku od tri radna dana.</p>"
    "<h2>Oglašavanje</h2>"
    "<p>Za oglašavanje u listu i na sajtu: oglasi@citaonica.example.</p>"
)

# The "Najnovije" strip: shown from the load for a few hours, linking to the first demo article.
BREAKING_NEWS = {
    "text": "Usvojen plan: Novi Sad dobija 42 kilometra povezanih biciklističkih staza",
    "article": ("politika", "gradsko-vece-novog-sada-usvojilo-plan-mreze-biciklistickih-staza-duge-42"),
    "hours": 6,
}
