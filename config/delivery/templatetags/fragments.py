"""``{% fragment "name" scopes vary... %}…{% endfragment %}``: a piece of a page kept for every reader
(``config.delivery.fragments``). ``scopes`` is a list of page-cache scopes (none: rendered inline, for a
template shared by pages that do not name them); each further argument is a value the piece varies by. Only
what is the same for every reader may be inside."""

from django import template

from config.delivery import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, scopes, vary, nodelist):
        self.name = name
        self.scopes = scopes
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context):
        return fragments.fragment(
            self.name.resolve(context),
            scopes=self.scopes.resolve(context),
            vary=[value.resolve(context) for value in self.vary],
            render=lambda: self.nodelist.render(context),
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name, the scopes and what it varies by")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, scopes, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(name, scopes, vary, nodelist)
