"""The arithmetic and the periods of the Administrative Penalty Law (《中华人民共和国行政处罚法》, 2021), in one place.

- Fines inside their legal range: the violation type's penalty articles carry their ranges (registry.FineRange,
  catalogue data); `check_items` refuses an amount outside the range with the range and the article in the
  message, computes per-unit ranges (每平方米, 每人, 倍) from the measured quantity, and makes every fine name the
  party who pays.
- When the notice offers a hearing (§63: 较大数额罚款) and when a case is major (§57 collective discussion,
  §58 legal review): amounts the bureau maintains (registry.PenaltyThreshold, shipped 待核实).
- The summary procedure's limits (§51), the periods (§60, §61, §64, §67, §85 working days; 行政强制法 §53–54)
  and the late-payment surcharge (§72).
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from cases.choices import PartyKind
from core import calendar
from core.errors import ApplicationError
from registry.choices import BasisRole, FineUnit, ThresholdKind

CENT = Decimal("0.01")

# --- periods (§85: the law's 2, 3, 5 and 7 days are working days; 15, 60 and 90 days are calendar days) -------
TIME_LIMIT_DAYS = 90          # §60: decision within 90 days of 立案 (calendar days), extensions approved
DEFENCE_WORKING_DAYS = 3      # the notice's period for a statement and defence (the bureau's practice; §44 sets none)
HEARING_REQUEST_WORKING_DAYS = 5   # §64(一): a hearing is requested within 5 days of the notice
HEARING_NOTICE_WORKING_DAYS = 7    # §64(二): the party is told the time and place 7 days ahead
DECISION_SERVICE_WORKING_DAYS = 7  # §61: served within 7 days of the decision
PAYMENT_DAYS = 15             # §67: paid within 15 days of receiving the decision
SURCHARGE_RATE = Decimal("0.03")   # §72(一): 3 % of the fine a day, never more than the fine
URGE_WAIT_DAYS = 10           # 行政强制法 §54: the court is asked 10 days after the 催告 was served
LAWSUIT_MONTHS = 6            # 行政诉讼法 §46: six months to sue (the longer of review 60 days and lawsuit)
COURT_WINDOW_MONTHS = 3       # 行政强制法 §53: within three months after those periods end

# §51: 简易程序 — a citizen up to ¥200, an organisation up to ¥3,000 (and warnings).
SUMMARY_LIMITS = {PartyKind.PERSON: Decimal("200"), PartyKind.ORGANISATION: Decimal("3000")}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def decision_due(filed_on: date, extra_days: int = 0) -> date:
    return filed_on + timedelta(days=TIME_LIMIT_DAYS + extra_days)


def defence_until(served_on: date, hearing_offered: bool) -> date:
    """The last day of the statement period, or of the hearing request period when a hearing was offered."""
    days = max(DEFENCE_WORKING_DAYS, HEARING_REQUEST_WORKING_DAYS if hearing_offered else 0)
    return calendar.add_working_days(served_on, days)


def hearing_request_until(served_on: date) -> date:
    return calendar.add_working_days(served_on, HEARING_REQUEST_WORKING_DAYS)


def earliest_hearing(told_on: date) -> date:
    return calendar.add_working_days(told_on, HEARING_NOTICE_WORKING_DAYS)


def service_due(decided_on: date) -> date:
    return calendar.add_working_days(decided_on, DECISION_SERVICE_WORKING_DAYS)


def payment_due(served_on: date) -> date:
    return served_on + timedelta(days=PAYMENT_DAYS)


def court_window(served_on: date) -> tuple[date, date]:
    """(first, last) day the court may be asked: after the lawsuit period ends, for three months."""
    start = add_months(served_on, LAWSUIT_MONTHS) + timedelta(days=1)
    return start, add_months(start, COURT_WINDOW_MONTHS)


def surcharge(amount: Decimal, due: date | None, on: date) -> Decimal:
    """§72(一) 加处罚款 on `on`: 3 % of the fine for each day after `due`, at most the fine itself."""
    if due is None or on <= due:
        return Decimal("0.00")
    days = (on - due).days
    return min(amount, (amount * SURCHARGE_RATE * days).quantize(CENT))


# --- ranges ---------------------------------------------------------------------------------------------------

def yuan(value: Decimal) -> str:
    """¥10,000 as 1万元, ¥1,500 as 1500元: how the catalogue and the statutes write amounts."""
    value = Decimal(value)
    if value >= 10000 and value % 10000 == 0:
        return f"{int(value // 10000)}万元"
    return f"{value.normalize():f}元"


def range_text(fine_range) -> str:
    basis = fine_range.basis
    regulation = basis.regulation.title.strip().strip("《》")
    unit = {FineUnit.M2: "每平方米", FineUnit.PERSON: "每人"}.get(fine_range.unit, "")
    if fine_range.unit == FineUnit.MULTIPLE:
        amounts = f"赔偿金额{fine_range.low.normalize():f}倍以上{fine_range.high.normalize():f}倍以下"
    else:
        amounts = f"{unit}{yuan(fine_range.low)}以上{yuan(fine_range.high)}以下"
    flag = "" if basis.verified else "（待核实）"
    return f"《{regulation}》{basis.article or '（条款待核实）'}{flag}（{fine_range.label}）：{amounts}"


def ranges_for(case):
    """The fine ranges of the case's violation type's penalty articles."""
    from registry.models import FineRange

    return (FineRange.objects.filter(basis__violation_type_id=case.violation_type_id, basis__role=BasisRole.PENALTY)
            .select_related("basis__regulation").order_by("basis_id", "low", "id"))


def bounds(fine_range, quantity: Decimal | None) -> tuple[Decimal, Decimal]:
    if fine_range.unit:
        return (fine_range.low * quantity).quantize(CENT), (fine_range.high * quantity).quantize(CENT)
    return fine_range.low, fine_range.high


@dataclass
class Item:
    """One intended fine: who pays, under which range, how much (and the quantity of a per-unit range)."""

    party: object
    fine_range: object
    amount: Decimal
    quantity: Decimal | None = None

    def as_json(self) -> dict:
        return {"party": self.party.pk, "range": self.fine_range.pk, "amount": f"{self.amount:.2f}",
                "quantity": None if self.quantity is None else f"{self.quantity:.2f}"}


def _decimal(value, what: str, what_en: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(f"{what}须为数字", f"{what_en} must be a number") from exc
    if not number.is_finite() or number <= 0 or number > Decimal("99999999"):
        raise ApplicationError(f"{what}须为正数", f"{what_en} must be a positive number")
    return number.quantize(CENT)


def check_items(case, raw, *, summary: bool = False) -> list[Item]:
    """The intended fines as given by a page or the API ([{party, range, amount, quantity}]), checked: each names a
    party of the case (once), a range of the case's violation type, and an amount inside it. Raises the first
    problem as an ApplicationError naming the range and its article."""
    from cases.fines import parse_amount

    if not raw:
        raise ApplicationError("请填写拟处罚的罚款：缴款当事人、适用的罚款幅度和金额",
                               "enter the intended fine: the party who pays, the range and the amount")
    if not isinstance(raw, (list, tuple)):
        raise ApplicationError("拟处罚内容格式有误", "penalty must be a list of {party, range, amount, quantity}")
    parties = {p.pk: p for p in case.parties.all()}
    ranges = {r.pk: r for r in ranges_for(case)}
    if not ranges:
        raise ApplicationError(
            f"“{case.violation_type.name}”的罚款幅度尚未录入（法律依据待核实），不能拟处罚款；请管理员在违法行为目录中核实并录入",
            f"no fine range is on record for {case.violation_type.code} (its penalty article is to be verified): "
            "the administrator must enter it first")
    items, seen = [], set()
    for row in raw:
        if not isinstance(row, dict):
            raise ApplicationError("拟处罚内容格式有误", "each penalty item must be an object")
        party = parties.get(_id(row.get("party")))
        if party is None:
            raise ApplicationError("罚款须指明本案的缴款当事人", "each fine must name a party of this case")
        if party.pk in seen:
            raise ApplicationError(f"当事人“{party.name}”列了两次", f"party {party.pk} is listed twice")
        seen.add(party.pk)
        fine_range = ranges.get(_id(row.get("range")))
        if fine_range is None:
            raise ApplicationError("请选择本违法行为罚则中的罚款幅度", "choose a fine range of this violation type")
        if fine_range.party_kind and fine_range.party_kind != party.kind:
            raise ApplicationError(f"该罚款幅度适用于{fine_range.get_party_kind_display()}：{range_text(fine_range)}",
                                   f"this range applies to {fine_range.party_kind} parties only")
        quantity = _decimal(row.get("quantity"), "计罚数量", "quantity")
        if fine_range.unit and quantity is None:
            raise ApplicationError(f"按{fine_range.get_unit_display()}计罚，请填写计罚数量",
                                   f"this range is counted {fine_range.unit}: enter the quantity")
        if not fine_range.unit:
            quantity = None
        amount = parse_amount(row.get("amount"))
        low, high = bounds(fine_range, quantity)
        if not low <= amount <= high:
            raise ApplicationError(
                f"罚款金额{amount:,.2f}元超出法定幅度：{range_text(fine_range)}（本案应在{low:,.2f}元至{high:,.2f}元之间）",
                f"the amount {amount:,.2f} is outside the legal range {low:,.2f}–{high:,.2f} "
                f"({fine_range.basis.regulation.short_name} {fine_range.basis.article})")
        if summary:
            limit = SUMMARY_LIMITS.get(party.kind, SUMMARY_LIMITS[PartyKind.PERSON])
            if amount > limit:
                raise ApplicationError(
                    "简易程序只适用于对公民200元以下、对单位3000元以下的罚款（行政处罚法第五十一条），"
                    "本案应适用一般程序立案调查",
                    "the summary procedure is for fines up to ¥200 (citizens) or ¥3,000 (organisations): "
                    "file the case and follow the general procedure")
        items.append(Item(party=party, fine_range=fine_range, amount=amount, quantity=quantity))
    return items


def _id(value):
    value = getattr(value, "pk", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def load_items(case, stored: list[dict]) -> list[Item]:
    """Items recorded on the procedure, read back (the parties and ranges as they are now)."""
    from registry.models import FineRange

    parties = {p.pk: p for p in case.parties.all()}
    ranges = FineRange.objects.in_bulk([row["range"] for row in stored])
    return [Item(party=parties[row["party"]], fine_range=ranges[row["range"]], amount=Decimal(row["amount"]),
                 quantity=None if row.get("quantity") is None else Decimal(row["quantity"]))
            for row in stored if row["party"] in parties and row["range"] in ranges]


def _threshold(kind: str, party_kind: str) -> Decimal | None:
    from registry.models import PenaltyThreshold

    row = PenaltyThreshold.objects.filter(kind=kind, party_kind=party_kind).first()
    return row.amount if row is not None else None


def reaches(kind: str, items) -> bool:
    for item in items:
        limit = _threshold(kind, item.party.kind)
        if limit is not None and item.amount >= limit:
            return True
    return False


def offers_hearing(items) -> bool:
    """§63(一): a 较大数额罚款 for any party (the bureau's amounts, registry.PenaltyThreshold)."""
    return reaches(ThresholdKind.HEARING, items)


def is_major(items) -> bool:
    return reaches(ThresholdKind.MAJOR, items)


def heavier(before: list[Item], after: list[Item]) -> list[str]:
    """Names of parties whose fine would rise (or who would be newly fined) — §45 forbids it after a defence."""
    old = {item.party.pk: item.amount for item in before}
    return [item.party.name for item in after if item.amount > old.get(item.party.pk, Decimal(0))]
