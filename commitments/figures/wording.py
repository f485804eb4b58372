"""What citizens read of an indicator: how it is counted, what its target is, and where it
stands against that target, in words made from the indicator's own definition.

The figures themselves come from `figures.indicators`; these sentences describe them, the same
on the page, in the JSON and in the PDF.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from ..models import Indicator
from .display import display, is_hidden

Target = Indicator.Target


def target_text(indicator):
    value = indicator.target_value
    number = display(value)
    unit = indicator.unit_for(value)
    kind = indicator.target_kind
    if kind == Target.AT_LEAST:
        return gettext("at least %(number)s %(unit)s") % {"number": number, "unit": unit}
    if kind == Target.AT_MOST:
        return gettext("at most %(number)s %(unit)s") % {"number": number, "unit": unit}
    if kind == Target.RATE:
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return gettext("at least %(number)s %(unit)s every week") % {
                "number": number,
                "unit": unit,
            }
        return gettext("at least %(number)s %(unit)s every month") % {
            "number": number,
            "unit": unit,
        }
    if kind == Target.MILESTONE:
        return gettext("a milestone: done or not")
    return gettext("none")


def counting_rule(indicator):
    """How a reader can check the figure, in words generated from the indicator's definition."""
    districts = [d.name for d in indicator.districts.all()]
    where = (
        gettext("in %(districts)s") % {"districts": get_text_list(districts, gettext("and"))}
        if districts
        else gettext("in every district of the promise")
    )
    if indicator.kind == Indicator.Kind.MEASURED:
        rule = gettext(
            "Measured values entered per period, for the whole area or per district. "
            "Source: %(source)s."
        ) % {"source": indicator.source}
        return f"{rule} {target_rule(indicator)}"
    quoted = [gettext("“%(name)s”") % {"name": t.name} for t in indicator.activity_types.all()]
    types = get_text_list(quoted, gettext("and"))
    if indicator.aggregation == Indicator.Aggregation.SUM_MEASURE:
        what = gettext(
            "the sum of “%(measure)s” (%(unit)s) over activities of the types %(types)s"
        ) % {
            "measure": indicator.measure.name,
            "unit": indicator.measure.unit,
            "types": types,
        }
    elif indicator.aggregation == Indicator.Aggregation.SUM_HOURS:
        what = gettext("the sum of hours spent on activities of the types %(types)s") % {
            "types": types
        }
    else:
        what = gettext("the number of activities of the types %(types)s") % {"types": types}
    rule = gettext(
        "Counted as %(what)s %(where)s, per tertial, from the public activities logged by "
        "the police and the municipality. Source: %(source)s."
    ) % {"what": what, "where": where, "source": indicator.source}
    return f"{rule} {target_rule(indicator)}"


def target_rule(indicator):
    """How the figure is judged against the target, for a reader."""
    kind = indicator.target_kind
    text = target_text(indicator)
    derived = indicator.kind == Indicator.Kind.DERIVED
    if kind in (Target.AT_LEAST, Target.AT_MOST):
        if derived:
            rule = gettext("The target is %(target)s over the whole promise.") % {"target": text}
        else:
            rule = gettext("The target is %(target)s, judged by the latest value.") % {
                "target": text
            }
        years = indicator.targets_by_year()
        if years:
            each = [f"{year}: {display(value)}" for year, value in years]
            rule += " " + gettext("Each year has its own target as well (%(years)s).") % {
                "years": "; ".join(each)
            }
        return rule
    if kind == Target.RATE:
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return gettext(
                "The target is %(target)s. A week (Monday to Sunday) meets it when its figure "
                "reaches that; a week is judged once it has ended and its activities are "
                "public, one at the promise's start or end when at least four of its days "
                "fall within the promise. The share is the weeks that met it out of those "
                "judged."
            ) % {"target": text}
        return gettext(
            "The target is %(target)s. A calendar month meets it when its figure reaches "
            "that; a month is judged once it has ended and its activities are public, one "
            "at the promise's start or end when at least half of its days fall within the "
            "promise. The share is the months that met it out of those judged."
        ) % {"target": text}
    if kind == Target.MILESTONE:
        if derived and not indicator.milestone_reached_on:
            return gettext(
                "A milestone: done on the day of the first public activity counted here."
            )
        return gettext("A milestone: done on the date the police or the municipality gave.")
    return gettext("There is no target: the figure is shown as it is.")


def _progress(indicator, current, *, cumulative, coverage=None, reached_on=None, years=()):
    """A plain statement of where the indicator stands against its target and baseline."""
    if indicator.target_kind == Target.MILESTONE:
        if reached_on is None:
            return gettext("Not done yet.")
        return gettext("Done on %(date)s.") % {"date": formats.date_format(reached_on)}
    if current is None:
        return gettext("No value yet.")
    if is_hidden(current):
        return gettext("The figure is too small to show without identifying anyone.")
    parts = [_against_target(indicator, current, cumulative=cumulative, coverage=coverage)]
    for year in years:
        parts.append(_year_statement(indicator, year))
    baseline = indicator.baseline_value
    higher = indicator.direction == Indicator.Direction.HIGHER
    if baseline is not None and not cumulative:
        if current == baseline:
            parts.append(gettext("Unchanged since the baseline."))
        elif (current > baseline) == higher:
            parts.append(gettext("Better than the baseline."))
        else:
            parts.append(gettext("Worse than the baseline."))
    return " ".join(p for p in parts if p)


def _against_target(indicator, current, *, cumulative, coverage):
    kind, target = indicator.target_kind, indicator.target_value
    if kind == Target.RATE:
        if not coverage.judged:
            if indicator.rate_period == Indicator.RatePeriod.WEEK:
                return gettext("No week has ended yet.")
            return gettext("No month has ended yet.")
        values = {"met": coverage.met, "judged": coverage.judged, "share": coverage.share}
        if indicator.rate_period == Indicator.RatePeriod.WEEK:
            return (
                ngettext(
                    "%(met)s of %(judged)s week met the target (%(share)s %%).",
                    "%(met)s of %(judged)s weeks met the target (%(share)s %%).",
                    coverage.judged,
                )
                % values
            )
        return (
            ngettext(
                "%(met)s of %(judged)s month met the target (%(share)s %%).",
                "%(met)s of %(judged)s months met the target (%(share)s %%).",
                coverage.judged,
            )
            % values
        )
    if kind == Target.AT_LEAST:
        if current >= target:
            return gettext("The target is reached.")
        if cumulative and target:
            return gettext("%(share)s %% of the target so far.") % {
                "share": display(round(Decimal(current) * 100 / target))
            }
        return gettext("The target is not reached yet.")
    if kind == Target.AT_MOST:
        if current > target:
            return gettext("Above the most the target allows: the target is not reached.")
        if cumulative:
            return gettext("Within the most the target allows so far.")
        return gettext("The target is reached.")
    if cumulative:
        return gettext("A count with no target.")
    return gettext("There is no target to compare with.")


def _year_statement(indicator, year):
    values = {"year": year.year, "value": display(year.value), "target": display(year.target)}
    if year.reached is None:
        return ""
    if indicator.target_kind == Target.AT_MOST:
        if year.reached:
            return gettext("%(year)s: %(value)s, at most %(target)s: reached.") % values
        return gettext("%(year)s: %(value)s, at most %(target)s: not reached.") % values
    if year.reached:
        return gettext("%(year)s: %(value)s of at least %(target)s: reached.") % values
    return gettext("%(year)s: %(value)s of at least %(target)s: not reached yet.") % values
