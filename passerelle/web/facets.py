"""The browse page's facet groups: every choice with its label and count, in order.

Counts come from the search (`SearchResult.facets`); a value that no offer names still
matches the offers open to everyone, so it shows the count of those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from passerelle.i18n import N_, get_translations
from passerelle.web.browse import parameter_title
from services_catalog.countries import AFRICAN_COUNTRIES, country_choices
from services_catalog.search import RESTRICTION_FACETS, FacetValue, SearchResult
from services_catalog.taxonomy import VOCABULARIES, categories_of_kind, label

# The groups in the order the page shows them.
FACET_ORDER = (
    "kind",
    "category",
    "country",
    "residence_country",
    "sector",
    "stage",
    "target_group",
    "applicant_type",
)
SUBGROUP_TITLES = {
    "service": N_("Support services"),
    "financing": N_("Financing"),
    "africa": N_("African countries"),
    "elsewhere": N_("Other countries"),
}
ANOTHER_COUNTRY = N_("Another country")


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class OptionGroup:
    title: str | None
    options: list[Option]


@dataclass(frozen=True)
class FacetGroup:
    """One facet as a fieldset: checkboxes in subgroups, and maybe a list of more values."""

    name: str
    title: str
    groups: list[OptionGroup]
    more: list[Option] = field(default_factory=list)
    more_label: str | None = None

    @property
    def selected(self) -> int:
        return sum(option.selected for group in self.groups for option in group.options)

    @property
    def empty(self) -> bool:
        return not self.more and not any(group.options for group in self.groups)


def _vocabulary_options(
    name: str, codes: list[str], counts: dict[str, FacetValue], unlisted: int, locale: str
) -> list[Option]:
    options = []
    for code in codes:
        found = counts.get(code)
        count = found.count if found else unlisted
        selected = bool(found and found.selected)
        if count or selected:
            options.append(Option(code, label(name, code, locale), count, selected))
    return options


def _country_option(value: FacetValue, names: dict[str, str]) -> Option:
    return Option(value.code, names.get(value.code, value.code), value.count, value.selected)


def _country_group(name: str, values: list[FacetValue], unlisted: int, locale: str) -> FacetGroup:
    """Countries some offers name, as checkboxes (African first for projects), then the rest."""
    translate = get_translations(locale).gettext
    choices = country_choices(locale)  # sorted by name, accents ignored
    names = dict(choices)
    position = {code: index for index, (code, _name) in enumerate(choices)}
    listed = sorted(
        (_country_option(v, names) for v in values), key=lambda o: position.get(o.code, 0)
    )
    if name == "country":
        africa = [option for option in listed if option.code in AFRICAN_COUNTRIES]
        elsewhere = [option for option in listed if option.code not in AFRICAN_COUNTRIES]
        groups = [
            OptionGroup(translate(SUBGROUP_TITLES["africa"]) if elsewhere else None, africa),
            OptionGroup(translate(SUBGROUP_TITLES["elsewhere"]), elsewhere),
        ]
        candidates = [code for code, _name in choices if code in AFRICAN_COUNTRIES]
    else:
        groups = [OptionGroup(None, listed)]
        candidates = [code for code, _name in choices]
    shown = {option.code for option in listed}
    more = [Option(code, names[code], unlisted, False) for code in candidates if code not in shown]
    return FacetGroup(
        name,
        parameter_title(name, locale),
        [group for group in groups if group.options],
        more if unlisted else [],
        translate(ANOTHER_COUNTRY),
    )


def facet_groups(result: SearchResult, locale: str) -> list[FacetGroup]:
    """The facet groups of a result page, in page order, without the empty ones."""
    translate = get_translations(locale).gettext
    groups = []
    for name in FACET_ORDER:
        values = result.facets.get(name, [])
        open_to_all = result.open_to_all.get(name, 0) if name in RESTRICTION_FACETS else 0
        if name in ("country", "residence_country"):
            groups.append(_country_group(name, values, open_to_all, locale))
            continue
        counts = {value.code: value for value in values}
        if name == "category":
            subgroups = [
                OptionGroup(
                    translate(SUBGROUP_TITLES[kind]),
                    _vocabulary_options(name, categories_of_kind(kind), counts, 0, locale),
                )
                for kind in ("service", "financing")
            ]
        else:
            codes = list(VOCABULARIES[name])
            subgroups = [
                OptionGroup(None, _vocabulary_options(name, codes, counts, open_to_all, locale))
            ]
        subgroups = [group for group in subgroups if group.options]
        groups.append(FacetGroup(name, parameter_title(name, locale), subgroups))
    return [group for group in groups if not group.empty]
