"""Repeat offenders (R3.6): the same party or the same flat across cases and complaints.

- The same party: the same ID number (证件号码/信用代码, case and spaces ignored), or, when a party has none, the
  same name and phone (digits only).
- The same flat: the same community, building and room, parsed from the case's location, its parties' addresses
  and the complaints' addresses by registry.addresses (铜川路123弄5号601室 and 5号楼601室 are building 5, room 601).

Two readers: the case page and the API (`earlier`, always over the reader's own scope: a user never learns of a
case or complaint outside it), and the handling rules (`is_repeat`, cases.rules.rule_of: an earlier case of the same
type in the same street — never a case the case's own handlers could not see).
"""
import re

from django.db.models import Q

from registry import addresses

_NOT_DIGIT = re.compile(r"\D")


def id_key(id_number: str) -> str:
    return re.sub(r"\s", "", id_number or "").upper()


def phone_key(phone: str) -> str:
    return _NOT_DIGIT.sub("", phone or "")


def party_keys(parties) -> tuple[set[str], set[tuple[str, str]]]:
    """(ID numbers, (name, phone) pairs of the parties without an ID number)."""
    ids, pairs = set(), set()
    for party in parties:
        if id_key(party.id_number):
            ids.add(id_key(party.id_number))
        elif (party.name or "").strip() and phone_key(party.phone):
            pairs.add((party.name.strip(), phone_key(party.phone)))
    return ids, pairs


def flat_of(address: str) -> tuple[str, str] | None:
    """(building, room) of an address, or None when it names no room. The building is a 号楼/幢 or, inside a
    弄, the 号 (铜川路123弄5号601室)."""
    for parsed in addresses.parse_all(address or ""):
        building = parsed.building or (str(parsed.number) if parsed.lane is not None and parsed.number else "")
        if building and parsed.room:
            return building, parsed.room
    return None


def case_flats(case, parties=None) -> set[tuple[str, str]]:
    """The flats a case is about: its location and its parties' addresses (in its community only)."""
    if not case.community_id:
        return set()
    texts = [case.location] + [p.address for p in (case.parties.all() if parties is None else parties)]
    return {flat for flat in map(flat_of, texts) if flat}


def _same_party_cases(cases, case, parties):
    """Cases among `cases` (not `case`) with a party of the same ID number, or of the same name and phone when it
    has no ID number (phones compared by their digits, however they were typed)."""
    from cases.models import Party

    ids, pairs = party_keys(parties)
    if not ids and not pairs:
        return set()
    q = Q()
    for value in ids:
        q |= Q(id_number__iexact=value)
    if pairs:
        q |= Q(name__in={name for name, _phone in pairs})
    found = set()
    for case_id, id_number, name, phone in (Party.objects.filter(q, case__in=cases).exclude(case=case)
                                            .values_list("case_id", "id_number", "name", "phone")):
        if id_key(id_number) in ids or (not id_key(id_number) and (name.strip(), phone_key(phone)) in pairs):
            found.add(case_id)
    return found


def _same_flat_cases(cases, case, flats):
    if not flats:
        return set()
    found = set()
    rooms = {room for _b, room in flats}
    near = (cases.filter(community_id=case.community_id).exclude(pk=case.pk)
            .filter(Q(location__regex="|".join(rooms)) | Q(parties__address__regex="|".join(rooms)))
            .distinct().prefetch_related("parties"))
    for other in near:
        if case_flats(other) & flats:
            found.add(other.pk)
    return found


def earlier(user, case) -> dict:
    """The user's view of the case's repeat offences: the earlier cases (registered before it) of the same party
    and of the same flat, and the complaints about the same flat not handled in this case — only those in the
    user's scope."""
    from cases.models import EnforcementCase
    from intake.models import Complaint

    parties = list(case.parties.all())
    visible = EnforcementCase.objects.restrict(user, "view").filter(created_at__lt=case.created_at)
    by_party = _same_party_cases(visible, case, parties)
    flats = case_flats(case, parties)
    by_flat = _same_flat_cases(visible, case, flats)
    ids = by_party | by_flat
    cases = list(EnforcementCase.objects.filter(pk__in=ids).select_related("violation_type").order_by("-created_at"))
    complaints = []
    if flats:
        rooms = "|".join({room for _b, room in flats})
        near = (Complaint.objects.restrict(user, "view").filter(community_id=case.community_id,
                                                                 address_text__regex=rooms)
                .exclude(case=case).order_by("-received_at")[:200])
        complaints = [c for c in near if flat_of(c.address_text) in flats]
    return {"cases": cases, "party": by_party, "flat": by_flat, "complaints": complaints,
            "flats": sorted(flats)}


def is_repeat(case) -> bool:
    """Whether the party or the flat of `case` was found in an earlier case of the same type, in the same street,
    that was not dismissed as unfounded (不属实)."""
    from cases.models import EnforcementCase

    prior = (EnforcementCase.objects.filter(street_id=case.street_id, violation_type_id=case.violation_type_id,
                                            created_at__lt=case.created_at)
             .exclude(pk=case.pk).exclude(transitions__action="dismiss"))
    parties = list(case.parties.all())
    return bool(_same_party_cases(prior, case, parties) or _same_flat_cases(prior, case, case_flats(case, parties)))
