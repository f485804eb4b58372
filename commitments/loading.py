"""Load a promise described in a TOML file (fixtures/), idempotently, keyed by slugs."""

import tomllib

from django.db import transaction

from .models import ActivityType, Commitment, District, Measure, Organisation, Promise, Signatory


def _save(model, lookup, values):
    """update_or_create, validated like every other write; an unchanged row is not written
    again (its audit history would say it changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, f) == v for f, v in values.items()):
        return obj
    obj = obj or model(**lookup)
    for field, value in values.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_promise_file(path):
    """Create or update the organisations, promise, districts, commitments and activity types."""
    with open(path, "rb") as file:
        data = tomllib.load(file)

    organisations = {
        item["slug"]: _save(
            Organisation,
            {"slug": item["slug"]},
            {"name": item["name"], "kind": item["kind"], "county": item.get("county", "")},
        )
        for item in data["organisations"]
    }
    spec = dict(data["promise"])
    signatories = spec.pop("signatories", [])
    promise = _save(
        Promise,
        {"slug": spec.pop("slug")},
        {
            **spec,
            "municipality": organisations[spec["municipality"]],
            "police_area": organisations[spec["police_area"]],
        },
    )
    for order, item in enumerate(signatories, start=1):
        _save(
            Signatory,
            {"promise": promise, "order": order},
            {
                "name": item["name"],
                "role": item["role"],
                "organisation": organisations[item["organisation"]],
            },
        )

    districts = {
        item["slug"]: _save(
            District,
            {"promise": promise, "slug": item["slug"]},
            {"name": item["name"], "kind": item["kind"], "order": order},
        )
        for order, item in enumerate(data["districts"], start=1)
    }
    for item in data["commitments"]:
        commitment = _save(
            Commitment,
            {"promise": promise, "number": item["number"]},
            {"title": item["title"], "text": item["text"]},
        )
        commitment.responsible_organisations.set(organisations[s] for s in item["responsible"])
        commitment.districts.set(districts[s] for s in item.get("districts", []))
        for order, type_spec in enumerate(item.get("activity_types", []), start=1):
            activity_type = _save(
                ActivityType,
                {"commitment": commitment, "slug": type_spec["slug"]},
                {
                    "name": type_spec["name"],
                    "is_sensitive": type_spec.get("sensitive", False),
                    "order": order,
                },
            )
            for measure_order, measure in enumerate(type_spec.get("measures", []), start=1):
                _save(
                    Measure,
                    {"activity_type": activity_type, "name": measure["name"]},
                    {"unit": measure["unit"], "order": measure_order},
                )
    promise.touch()
    return promise
