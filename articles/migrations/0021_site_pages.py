from django.db import migrations

# Starter text for the pages every daily must have: generic, for administrators to adapt. The impresum's legal
# items stay empty until an administrator fills them (the page shows only filled items; its admin says which
# are missing).
PAGES = [
    (
        "kontakt",
        "Kontakt",
        "<p>Redakciji možete pisati u vezi sa tekstovima, ispravkama i odgovorima. Adrese i telefoni "
        "redakcije navedeni su u impresumu.</p>"
        "<h2>Ispravke i odgovori</h2>"
        "<p>Ako smatrate da je u tekstu objavljena netačna informacija, ili želite da iskoristite pravo na "
        "odgovor, pišite redakciji i navedite naslov i adresu teksta.</p>",
    ),
    (
        "uslovi-koriscenja",
        "Uslovi korišćenja",
        "<p>Korišćenjem ovog sajta prihvatate ove uslove. Sadržaj sajta zaštićen je autorskim pravom; "
        "preuzimanje tekstova i fotografija dozvoljeno je samo uz pismenu saglasnost redakcije.</p>"
        "<h2>Komentari</h2>"
        "<p>Komentari izražavaju stavove svojih autora. Redakcija ne objavljuje komentare koji sadrže "
        "uvrede, pretnje, govor mržnje ili reklame.</p>",
    ),
    (
        "privatnost",
        "Politika privatnosti",
        "<p>Ovde opisujemo koje podatke o posetiocima obrađujemo, zašto i koliko dugo ih čuvamo.</p>"
        "<h2>Koje podatke obrađujemo</h2>"
        "<p>Za komentare: ime i adresu e-pošte koje unesete. Za rad sajta: tehničke podatke o posetama, "
        "bez praćenja posetilaca sa drugih sajtova.</p>"
        "<h2>Vaša prava</h2>"
        "<p>Možete tražiti uvid u svoje podatke, njihovu ispravku ili brisanje pisanjem redakciji.</p>",
    ),
    (
        "pristupacnost",
        "Izjava o pristupačnosti",
        "<p>Trudimo se da sajt mogu da koriste svi, uključujući osobe koje koriste čitače ekrana, tastaturu "
        "ili uvećanje teksta. Sajt je dostupan na latinici i ćirilici.</p>"
        "<h2>Prijava problema</h2>"
        "<p>Ako naiđete na deo sajta koji ne možete da koristite, pišite redakciji i opišite problem.</p>",
    ),
]


def create_site_pages(apps, schema_editor):
    InfoPage = apps.get_model("articles", "InfoPage")
    Impresum = apps.get_model("articles", "Impresum")
    for key, title, body in PAGES:
        InfoPage.objects.get_or_create(key=key, defaults={"title": title, "body": body})
    Impresum.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_editors_keep_live_notes_breaking")]

    operations = [migrations.RunPython(create_site_pages, migrations.RunPython.noop)]
