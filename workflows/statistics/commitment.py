"""Credit commitments: made in the period by type and disclosure; verified in the period by
fulfilment, with the 履约率 and the breaches (the register, DOMAIN.md §A)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.models.commitments import Commitment
from workflows.kinds.commitment.templates import TYPES
from workflows.kinds.commitment.vocabulary import DISCLOSURES, FULFILMENTS
from workflows.statistics.period import Scope
from workflows.statistics.tables import Chart, Section, Table, percent, rate

KIND = "commitment"


def commitment_section(session: Session, scope: Scope) -> Section:
    made = made_by_type(session, scope)
    fulfilment = verified_by_fulfilment(session, scope)
    verified = sum(fulfilment.values())
    breaches = session.scalar(select(func.count()).select_from(Commitment).where(
        *_in_department(scope), Commitment.status == "breached", *_verified_in(scope))) or 0
    figures = {"made": sum(made.values()), "verified": verified, "breaches": breaches,
               **{f"fulfilment_{k}": fulfilment[k] for k in FULFILMENTS},
               "fulfilment_rate": rate(fulfilment["full"], verified)}
    by_type = Table("commitment_types", "按类型和公开方式统计的承诺", ["承诺类型", *DISCLOSURES.values(), "合计"],
                    [[label, *(made[(key, d)] for d in DISCLOSURES), sum(made[(key, d)] for d in DISCLOSURES)]
                     for key, label in _types(made)], note="期间内作出的承诺。")
    verdicts = Table("commitment_fulfilment", "履约情况", ["履行状态", "件数"],
                     [[label, fulfilment[key]] for key, label in FULFILMENTS.items()]
                     + [["合计", verified], ["履约率", percent(figures["fulfilment_rate"])], ["认定违诺", breaches]],
                     note="期间内核查认定的承诺；履约率 = 全部履行 / 已核查。")
    charts = [Chart("commitment_types", "bar", "按类型统计的承诺", [label for _k, label in _types(made)],
                    [(name, [made[(key, d)] for key, _l in _types(made)]) for d, name in DISCLOSURES.items()],
                    "commitment_types"),
              Chart("commitment_fulfilment", "pie", "履约情况构成", list(FULFILMENTS.values()),
                    [("件数", [fulfilment[k] for k in FULFILMENTS])], "commitment_fulfilment")]
    return Section(KIND, "信用承诺", figures, [by_type, verdicts], charts)


def made_by_type(session: Session, scope: Scope) -> Counter:
    rows = session.execute(select(Commitment.commitment_type, Commitment.disclosure, func.count()).where(
        *_in_department(scope), Commitment.made_on >= scope.period.start, Commitment.made_on <= scope.period.end,
        Commitment.status != "withdrawn").group_by(Commitment.commitment_type, Commitment.disclosure))
    return Counter({(kind, disclosure): count for kind, disclosure, count in rows})


def verified_by_fulfilment(session: Session, scope: Scope) -> Counter:
    rows = session.execute(select(Commitment.fulfilment, func.count()).where(
        *_in_department(scope), Commitment.fulfilment.is_not(None), *_verified_in(scope))
        .group_by(Commitment.fulfilment))
    return Counter(dict(rows.all()))


def _verified_in(scope: Scope) -> list:
    return [Commitment.verified_on >= scope.period.start, Commitment.verified_on <= scope.period.end]


def _in_department(scope: Scope) -> list:
    return [Commitment.department_code == scope.filters.department] if scope.filters.department else []


def _types(made: Counter) -> list[tuple[str, str]]:
    extra = sorted({key for key, _d in made if key not in TYPES})
    return list(TYPES.items()) + [(key, key) for key in extra]
