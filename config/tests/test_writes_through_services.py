"""Bulk writes to what readers see happen only in the service modules, which tell the page cache.

``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` send no signal and save nothing a reader of the
code would notice; outside the services they make pages that stay stale until they expire. This reads every
project module (not tests, not migrations) and fails, with file and line, on such a call whose receiver
names a model public pages show or a query set (an admin action's ``queryset``, or a variable made from one).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("articles", "comments", "config")

# The models whose rows public pages show (directly, or as counts, lists and settings).
SHOWN_MODELS = {
    "Article",
    "ArticleAuthor",
    "Section",
    "Author",
    "Tag",
    "Image",
    "SiteSettings",
    "TransliterationException",
    "HourlyReadCount",
    "ArticleComment",
    "XtdComment",
    "Comment",
    "CommentSettings",
    "Reaction",
    "ArticleNote",
    "Impresum",
    "InfoPage",
}
QUERY_SET_NAMES = {"queryset", "qs"}
BULK_WRITES = {"update", "bulk_create", "bulk_update"}

# The modules allowed to write in bulk: each ends its writes with invalidation.invalidate(...).
SERVICE_MODULES = {
    "articles/services.py",  # publishing, editing, withdrawing; sections, authors, tags, photos, settings
    "articles/live.py",  # live blogs' entries and the end of coverage
    "articles/reads.py",  # the reading counts behind "Najčitanije"
    "articles/demo.py",  # the demo content loader
    "comments/moderation.py",  # decisions, reactions, reports, comment settings
    "comments/posting.py",  # a reader's new comment
    "comments/my_comments.py",  # a reader deleting their own comments
    "comments/demo.py",  # the demo comments loader
    # Erases commenters' network addresses, which no page shows: nothing to invalidate.
    "comments/retention.py",
}


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path


def names_in(node):
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}


def query_set_variables(scope, inherited=frozenset()):
    """Names assigned in ``scope`` (a function or the module) from an expression that names a shown model or
    a query set, to a fixed point. Per function: a name means what it was assigned where it is used."""
    tainted = set(QUERY_SET_NAMES) | set(inherited)
    assignments = [
        (target.id, node.value)
        for node in walk_scope(scope)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    grew = True
    while grew:
        grew = False
        for name, value in assignments:
            if name not in tainted and names_in(value) & (SHOWN_MODELS | tainted):
                tainted.add(name)
                grew = True
    return tainted


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def walk_scope(scope):
    """The nodes of ``scope`` without those of the functions defined inside it."""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, FUNCTIONS):
            continue
        yield child
        yield from walk_scope(child)


def bulk_writes_in(source, filename="<module>"):
    """``(line, code)`` of each bulk write on shown models or query sets in ``source``."""
    tree = ast.parse(source, filename)
    found = []

    def visit(scope, inherited):
        suspects = SHOWN_MODELS | query_set_variables(scope, inherited)
        found.extend(
            (node.lineno, ast.unparse(node.func))
            for node in walk_scope(scope)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in BULK_WRITES
            and names_in(node.func.value) & suspects
        )
        for node in ast.walk(scope):
            if isinstance(node, FUNCTIONS) and node is not scope and enclosing_is(scope, node):
                visit(node, suspects - SHOWN_MODELS)

    visit(tree, frozenset())
    return sorted(found)


def enclosing_is(scope, function):
    """True when ``function`` is defined directly in ``scope`` (not inside a function within it)."""
    return any(node is function for node in walk_scope_with_functions(scope))


def walk_scope_with_functions(scope):
    for child in ast.iter_child_nodes(scope):
        yield child
        if not isinstance(child, FUNCTIONS):
            yield from walk_scope_with_functions(child)


@pytest.mark.parametrize(
    "source",
    [
        "Article.objects.filter(pk__in=ids).update(status='withdrawn')",
        "def withdraw(self, request, queryset):\n    queryset.update(status='withdrawn')",
        "chosen = Article.objects.filter(pk=1)\nlater = chosen.exclude(pk=2)\nlater.update(title='x')",
        "ArticleAuthor.objects.bulk_create(rows)",
        "ArticleComment.objects.bulk_update(comments, ['is_public'])",
        "Section.objects.all().update(position=1)",
        "self.model.objects.filter(pk__in=[a.pk for a in queryset]).update(is_lead=False)",
    ],
    ids=[
        "model-update",
        "admin-action-queryset",
        "queryset-variable",
        "bulk-create",
        "bulk-update",
        "section-all",
        "self-model-from-queryset",
    ],
)
def test_the_rule_catches_bulk_writes_on_shown_models(source):
    assert bulk_writes_in(source)


@pytest.mark.parametrize(
    "source",
    [
        "context = {}\ncontext.update(title='x')",
        "digest = hashlib.sha256()\ndigest.update(b'x')",
        "CommentToken.objects.filter(pk=1).update(used_at=None)",
        "options.update({name: value for name, value in pairs})",
    ],
    ids=["dict", "hash", "model-no-page-shows", "options-dict"],
)
def test_the_rule_leaves_dicts_hashes_and_unshown_models_alone(source):
    assert not bulk_writes_in(source)


def test_bulk_writes_to_shown_models_happen_only_in_the_service_modules():
    found = []
    for path in project_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative in SERVICE_MODULES:
            continue
        found += [
            f"{relative}:{line}: {code}(...)" for line, code in bulk_writes_in(path.read_text(), relative)
        ]
    assert not found, "Bulk writes outside the service modules (no page is told):\n" + "\n".join(found)


def calls_named(path, names):
    """``(line, name)`` of each call in ``path`` to a function or method called one of ``names``."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in names:
                calls.append((node.lineno, name))
    return calls


def test_only_the_services_call_invalidate_and_only_invalidate_drops_pages():
    # Besides the services: a restore replaces every row at once (the layer's own backups module).
    may_invalidate = SERVICE_MODULES | {"config/delivery/backups.py", "config/delivery/invalidation.py"}
    callers = {
        path.relative_to(ROOT).as_posix() for path in project_modules() if calls_named(path, {"invalidate"})
    }
    assert callers <= may_invalidate, sorted(callers - may_invalidate)
    assert {"articles/services.py", "comments/moderation.py"} <= callers
    # The page cache's own entry points are called by invalidate() alone.
    droppers = {
        path.relative_to(ROOT).as_posix()
        for path in project_modules()
        if path.name != "page_cache.py" and calls_named(path, {"changed", "changed_may_lag"})
    }
    assert droppers == {"config/delivery/invalidation.py"}
