"""What a promise is made of, for its public pages, open data and report: two queries.

A promise's commitments with their responsible organisations, activity types and measures,
and its districts and signatories. prefetch_related would spend a query on each relation;
here each relation is a LEFT JOIN of one values() query whose rows are split back into model
instances, and each instance's relations (`commitment.activity_types.all()`,
`activity_type.measures.all()`, `promise.districts.all()`, …) read the loaded rows without a
query. The joins multiply rows only by the promise's structure (a commitment's organisations
times its measures; districts times signatories), never by its activities.
"""

from collections import defaultdict
from dataclasses import dataclass

from .models import ActivityType, Commitment, District, Measure, Organisation, Promise, Signatory


def _names(model, fields=None):
    """A model's column names (attnames), all or those in `fields`, in the model's order."""
    return [f.attname for f in model._meta.concrete_fields if fields is None or f.attname in fields]


def columns(model, prefix="", fields=None):
    """The values() names of a model's columns, reached through `prefix` ("activity_types__")."""
    return [prefix + name for name in _names(model, fields)]


def collect(found, model, row, prefix="", *, db, fields=None):
    """The instance of `model` in a values() row under `prefix`, made once per primary key.

    `found` maps primary keys to the instances made so far. None where a LEFT JOIN found no row.
    With `fields`, only those columns were selected: the others are deferred.
    """
    names = _names(model, fields)
    pk = row[prefix + model._meta.pk.attname]
    if pk is None:
        return None
    if pk not in found:
        found[pk] = model.from_db(db, names, [row[prefix + name] for name in names])
    return found[pk]


def prefetched(instance, name, objects):
    """Set what `instance.<name>.all()` returns, as prefetch_related would."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def _in_order(objects, *names):
    """Sorted as the model's Meta.ordering sorts them within one parent (the primary key last)."""
    return sorted(objects, key=lambda o: (*(getattr(o, name) for name in names), o.pk))


def _grouped(objects, key, *order):
    """{key: [objects in order]}: the loaded rows of a relation, per parent."""
    groups = defaultdict(list)
    for obj in _in_order(objects, *order):
        groups[key(obj)].append(obj)
    return groups


@dataclass
class Outline:
    commitments: list  # by number; organisations, activity types and measures loaded
    districts: list
    signatories: list

    @property
    def activity_types(self):
        return [t for c in self.commitments for t in c.activity_types.all()]

    def commitment(self, number):
        return next((c for c in self.commitments if c.number == number), None)

    def district(self, slug):
        return next((d for d in self.districts if d.slug == slug), None)


def load_outline(promise):
    """The promise's Outline; `promise.districts.all()` and `.signatories.all()` read it too."""
    outline = Outline(_commitments(promise), *_districts_and_signatories(promise))
    prefetched(promise, "commitments", outline.commitments)
    prefetched(promise, "districts", outline.districts)
    prefetched(promise, "signatories", outline.signatories)
    return outline


def _commitments(promise):
    """The commitments with their organisations, activity types and measures: one query."""
    rows = (
        Commitment.objects.filter(promise=promise)
        .order_by()
        .values(
            *columns(Commitment),
            *columns(Organisation, "responsible_organisations__"),
            *columns(ActivityType, "activity_types__"),
            *columns(Measure, "activity_types__measures__"),
        )
    )
    commitments, organisations, types, measures = {}, {}, {}, {}
    responsible = set()  # (commitment id, organisation id)
    for row in rows:
        commitment = collect(commitments, Commitment, row, db=rows.db)
        organisation = collect(
            organisations, Organisation, row, "responsible_organisations__", db=rows.db
        )
        if organisation is not None:
            responsible.add((commitment.pk, organisation.pk))
        collect(types, ActivityType, row, "activity_types__", db=rows.db)
        collect(measures, Measure, row, "activity_types__measures__", db=rows.db)
    types_of = _grouped(types.values(), lambda t: t.commitment_id, "order", "name")
    measures_of = _grouped(measures.values(), lambda m: m.activity_type_id, "order", "name")
    for commitment in commitments.values():
        commitment.promise = promise
        prefetched(
            commitment,
            "responsible_organisations",
            _in_order(
                (o for o in organisations.values() if (commitment.pk, o.pk) in responsible), "name"
            ),
        )
        prefetched(commitment, "activity_types", types_of[commitment.pk])
        for activity_type in types_of[commitment.pk]:
            activity_type.commitment = commitment
            prefetched(activity_type, "measures", measures_of[activity_type.pk])
            for measure in measures_of[activity_type.pk]:
                measure.activity_type = activity_type
    return sorted(commitments.values(), key=lambda c: c.number)


def _districts_and_signatories(promise):
    """The promise's districts and signatories: one query (their product, a few rows)."""
    rows = (
        Promise.objects.filter(pk=promise.pk)
        .order_by()
        .values(*columns(District, "districts__"), *columns(Signatory, "signatories__"))
    )
    districts, signatories = {}, {}
    for row in rows:
        collect(districts, District, row, "districts__", db=rows.db)
        collect(signatories, Signatory, row, "signatories__", db=rows.db)
    districts = _in_order(districts.values(), "order", "name")
    signatories = _in_order(signatories.values(), "order")
    for obj in (*districts, *signatories):
        obj.promise = promise
    return districts, signatories
