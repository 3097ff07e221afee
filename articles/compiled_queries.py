"""Querysets of model instances compiled to SQL once per process and database, then only run.

Building and compiling a front page's queries through the ORM cost more CPU than the database spent running
them (some 15 ms a page at 100,000 articles, docs/benchmarks.md). A ``CompiledQuery`` compiles its queryset
once per database alias, with stand-ins for the values that change from one request to the next (the
moment "now", a "since"), and keeps no connection (connections belong to a thread): each run takes the
calling thread's connection for the alias the router names, puts the values in for the stand-ins, applies
the backend's column converters and builds the instances as Django's ``ModelIterable`` does (the model's
fields, ``select_related`` objects, annotations). Same SQL, same rows, same objects as the queryset gives.
"""

from datetime import UTC, datetime

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils import timezone

# Moments no request passes: the compiled SQL's parameters equal to them are the values of the run.
NOW = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
SINCE = datetime(1902, 3, 4, 5, 0, tzinfo=UTC)
# Ids no row has: the ``n``-th id of the ``list``-th list of ids is -(ID_BASE + list * ID_STEP + n).
ID_BASE, ID_STEP = 7_305_916_428_000, 100_000


def _standin_ids(lengths):
    return [
        [-(ID_BASE + number * ID_STEP + n) for n in range(length)] for number, length in enumerate(lengths)
    ]


class _Compiled:
    def __init__(self, queryset, connection, lengths=()):
        id_lists = _standin_ids(lengths)
        compiler = queryset(NOW, SINCE, *id_lists).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        adapt = connection.ops.adapt_datetimefield_value
        self.standins = {adapt(NOW): "now", adapt(SINCE): "since"}
        self.standins.update(
            {standin: (number, n) for number, ids in enumerate(id_lists) for n, standin in enumerate(ids)}
        )
        self.sql = sql
        self.params = [(self.standins.get(param) if _hashable(param) else None, param) for param in params]
        if "now" not in {standin for standin, _ in self.params}:
            raise ValueError("The queryset must take the moment it is given as a parameter")
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, connection.alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters([expression for expression, _, _ in select]).items())
        self.adapt = adapt

    def run(self, connection, now, since, id_lists=()):
        values = {"now": self.adapt(now), "since": self.adapt(since) if since is not None else None}
        values.update({(number, n): id for number, ids in enumerate(id_lists) for n, id in enumerate(ids)})
        params = [values[standin] if standin else param for standin, param in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        alias, model, start, end, init_list = (
            connection.alias,
            self.model,
            self.start,
            self.end,
            self.init_list,
        )
        for row in rows:
            if self.converters:
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


class CompiledQuery:
    """``queryset(now, since, *id_lists)`` (a function building the queryset of ``model`` for these moments
    and lists of ids) compiled once per database alias and vendor and per length of each list of ids;
    ``query(*id_lists, since=...)`` is the list the queryset gives. An empty result set has no SQL: the
    function must not make one (``.none()``, ``pk__in=[]`` in a filter)."""

    def __init__(self, model, queryset):
        self.model = model
        self.queryset = queryset
        self.compiled = {}

    def __call__(self, *id_lists, since=None, now=None):
        connection = connections[router.db_for_read(self.model)]
        id_lists = [[int(id) for id in ids] for ids in id_lists]
        lengths = tuple(len(ids) for ids in id_lists)
        key = (connection.alias, connection.vendor, lengths)
        compiled = self.compiled.get(key)
        if compiled is None:
            if len(self.compiled) > 64:
                self.compiled.clear()
            compiled = self.compiled[key] = _Compiled(self.queryset, connection, lengths)
        return compiled.run(connection, now or timezone.now(), since, id_lists)
