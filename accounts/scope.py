"""Who sees which records: the one scoping function of each model family.

Every page, API view, export and file download reaches records through
`Model.objects.restrict(user, action)`, which calls one of these functions. A record outside a
user's scope is simply not in the queryset, so views answer 404 and existence does not leak.

Families:
- community: anything that belongs to a residential community (the community itself, its
  addresses and aliases; later complaints, cases, inventory) — `community_q(user, prefix=...)`.
- company: property companies and their project managers — `company_q`.
- street: streets/towns and their committees — `street_q`.

Districts (issue 12): several districts can share one installation. The district is a scope level above the
streets: a district role (lead, department, a district's administrator) reaches only the records of its own
district's streets (`district_streets`), officers and street staff stay inside their streets, and the city
bureau (Role.CITY, 市局) reads every district's records and changes none. An installation holding one district
adds no condition at all, so its queries are those of a single district.
"""
from django.db.models import Q

from accounts.choices import Role
from core.masking import Masker

NOTHING = Q(pk__in=[])

# Roles that see every record of a family, per action.
DISTRICT_WIDE_VIEW = {Role.ADMIN, Role.LEAD, Role.DEPARTMENT, Role.LEGAL}
STREET_SCOPED = {Role.OFFICER, Role.STREET}
# Roles that read every district's records and change none (市局: city-wide supervision).
CITY_WIDE_VIEW = {Role.CITY}

# Which roles see which kind of personal data unmasked; ("DEPARTMENT", code) names one department.
PERSONAL_DATA_ACCESS = {
    # complainants' names and phones (诉求人): handlers of the complaint only, never the company complained about
    "caller": {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET},
    # parties' ID numbers and phones (当事人)
    "party": {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.LEGAL},
    # contacts of project managers and owners' committees: the housing bureau supervises both
    "contact": {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET, Role.PROPERTY, (Role.DEPARTMENT, "HOUSING")},
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    if not _active(user):
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def street_ids(user) -> list[int]:
    """The streets an officer or street user works in (cached on the user object)."""
    if not hasattr(user, "_anju_street_ids"):
        user._anju_street_ids = list(user.streets.values_list("pk", flat=True))
    return user._anju_street_ids


def _streets(user):
    """All streets, reached through the user's own 'registry.Street' relation: accounts sits below registry and
    never imports it, so the subqueries below are field paths from Street (street -> communities -> company)."""
    return user._meta.get_field("streets").related_model._default_manager.all()


def _can_change_registry(user) -> bool:
    return role_of(user) == Role.ADMIN


# --- districts ------------------------------------------------------------------------------------------

def district_count(user) -> int:
    """How many districts the installation holds (asked once per request: cached on the user object)."""
    if not hasattr(user, "_anju_district_count"):
        district_model = user._meta.get_field("district").related_model
        user._anju_district_count = district_model._default_manager.count()
    return user._anju_district_count


def district_streets(user) -> list[int] | None:
    """The street ids of the district the user's records are limited to; None: no district limit.

    None for the city bureau, a superuser, an administrator without a district (the installation's), and
    everyone in an installation of one district (accounts made before issue 12 have no district and keep
    seeing what they saw). A user with a district: its streets. Officers and street staff: the districts of
    their streets (their own streets narrow them further). A district role without a district in an
    installation of several: no street at all — an account nobody placed sees nothing rather than everything."""
    if hasattr(user, "_anju_district_streets"):
        return user._anju_district_streets
    role = role_of(user)
    streets = _streets(user)
    if role is None:
        ids = []
    elif user.is_superuser or role in CITY_WIDE_VIEW or district_count(user) <= 1:
        ids = None
    elif user.district_id:
        ids = list(streets.filter(district_id=user.district_id).values_list("pk", flat=True))
    elif role in STREET_SCOPED:
        ids = list(streets.filter(district__streets__in=street_ids(user)).values_list("pk", flat=True).distinct())
    elif role in {Role.ADMIN, Role.PROPERTY}:
        ids = None  # the installation's administrator; a company is scoped by its own communities
    else:
        ids = []
    user._anju_district_streets = ids
    return ids


def _in_district(user, path: str) -> Q:
    """`path` (a street id, e.g. "street_id" or "case__street_id") within the user's district."""
    ids = district_streets(user)
    if ids is None:
        return Q()
    return Q(**{f"{path}__in": ids}) if ids else NOTHING


def in_district(user, path: str) -> Q:
    """`_in_district` for the apps whose scope lives in their own model (bulletins)."""
    return _in_district(user, path)


def _companies_in_district(user, path: str) -> Q:
    """`path` (a company id) of a company visible to the user's district. A property company works in several
    districts: a district sees the companies managing a community of its streets, and the companies managing
    none yet (a new registration belongs to no district)."""
    ids = district_streets(user)
    if ids is None:
        return Q()
    streets = _streets(user).filter(communities__property_company_id__isnull=False)
    here = streets.filter(pk__in=ids).values("communities__property_company_id")
    anywhere = streets.values("communities__property_company_id")
    return Q(**{f"{path}__in": here}) | ~Q(**{f"{path}__in": anywhere})


def _is_home_district(user) -> bool:
    """Whether the user's district is the installation's own: the one whose numbers carry no prefix
    (registry.District.number_prefix), which had the installation to itself before others joined."""
    if not hasattr(user, "_anju_home_district"):
        district_model = user._meta.get_field("district").related_model
        user._anju_home_district = district_model._default_manager.filter(
            pk=user.district_id, number_prefix="").exists()
    return user._anju_home_district


def _complaints_in_district(user, prefix: str) -> Q:
    """Complaints of the user's district: by their street; one no street was found for yet (an address not
    matched) by who brought it in — its reporter's or its 12345 file's importer's district — and one nobody of
    a district brought in (the import command, a device) is the installation's own district's to place.
    A 12345 file imported into a named district (intake.ImportBatch.district: the command's --district) is that
    district's whoever brought it in.
    Plain id subqueries (no joins, nothing correlated), so the unmatched few cost what the street condition does.
    The files are reached from the users through intake.ImportBatch.imported_by's reverse name, `importbatch`, and
    from the districts through ImportBatch.district's, `import_batches`."""
    ids = district_streets(user)
    if ids is None:
        return Q()
    q = Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    if user.district_id:
        users = user._meta.model._default_manager
        districts = user._meta.get_field("district").related_model._default_manager.filter(
            import_batches__isnull=False)
        own = users.filter(district_id=user.district_id)
        brought = (Q(**{f"{prefix}reporter_id__in": own.values("pk")})
                   | Q(**{f"{prefix}batch_id__in": own.filter(importbatch__isnull=False).values("importbatch")})
                   | Q(**{f"{prefix}batch_id__in": districts.filter(pk=user.district_id).values("import_batches")}))
        if _is_home_district(user):
            placed = users.filter(district_id__isnull=False)
            by_placed = placed.filter(importbatch__isnull=False).values("importbatch")
            elsewhere = districts.exclude(pk=user.district_id).values("import_batches")
            brought |= ((Q(**{f"{prefix}reporter_id__isnull": True})
                         | ~Q(**{f"{prefix}reporter_id__in": placed.values("pk")}))
                        & (Q(**{f"{prefix}batch_id__isnull": True})
                           | (~Q(**{f"{prefix}batch_id__in": by_placed})
                              & ~Q(**{f"{prefix}batch_id__in": elsewhere}))))
        q |= Q(**{f"{prefix}street_id__isnull": True}) & brought
    return q


def _city_reads(role, action: str) -> bool:
    return role in CITY_WIDE_VIEW and action == "view"


def community_q(user, action: str = "view", prefix: str = "") -> Q:
    role = role_of(user)
    if role is None:
        return NOTHING
    if action != "view":
        return _in_district(user, f"{prefix}street_id") if _can_change_registry(user) else NOTHING
    if role in DISTRICT_WIDE_VIEW:
        return _in_district(user, f"{prefix}street_id")
    if role in CITY_WIDE_VIEW:
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    if role == Role.PROPERTY and user.property_company_id:
        return Q(**{f"{prefix}property_company_id": user.property_company_id})
    return NOTHING


def company_q(user, action: str = "view", prefix: str = "") -> Q:
    role = role_of(user)
    if role is None:
        return NOTHING
    if action != "view":
        return _companies_in_district(user, f"{prefix}pk") if _can_change_registry(user) else NOTHING
    if role in DISTRICT_WIDE_VIEW:
        return _companies_in_district(user, f"{prefix}pk")
    if role in CITY_WIDE_VIEW:
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        managing_here = _streets(user).filter(pk__in=ids).values("communities__property_company_id")
        return Q(**{f"{prefix}pk__in": managing_here}) if ids else NOTHING
    if role == Role.PROPERTY and user.property_company_id:
        return Q(**{f"{prefix}pk": user.property_company_id})
    return NOTHING


def street_q(user, action: str = "view", prefix: str = "") -> Q:
    role = role_of(user)
    if role is None:
        return NOTHING
    if action != "view":
        return _in_district(user, f"{prefix}pk") if _can_change_registry(user) else NOTHING
    if role in DISTRICT_WIDE_VIEW:
        return _in_district(user, f"{prefix}pk")
    if role in CITY_WIDE_VIEW:
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}pk__in": ids}) if ids else NOTHING
    if role == Role.PROPERTY and user.property_company_id:
        mine = _streets(user).filter(communities__property_company_id=user.property_company_id).values("pk")
        return Q(**{f"{prefix}pk__in": mine})
    return NOTHING


def reference_q(user, action: str = "view", prefix: str = "") -> Q:
    """Catalogues (departments, regulations, violation types): every signed-in user reads them."""
    if role_of(user) is None:
        return NOTHING
    if action != "view":
        return Q() if _can_change_registry(user) else NOTHING
    return Q()


def personal_view(user, kind: str) -> Masker:
    """How `user` sees personal data of `kind` ("caller", "party", "contact"): in full or masked."""
    return Masker(can_see_personal(user, kind))


def serializer_view(context: dict, kind: str) -> Masker:
    """`personal_view` for an API serializer, asked once per response (kept in the serializer's context)."""
    cache = context.setdefault("_personal_view", {})
    if kind not in cache:
        cache[kind] = personal_view(context["request"].user, kind)
    return cache[kind]


def can_see_personal(user, kind: str) -> bool:
    role = role_of(user)
    allowed = PERSONAL_DATA_ACCESS[kind]
    if role in allowed:
        return True
    if role == Role.DEPARTMENT and user.department_id:
        return (role, user.department.code) in allowed
    return False


def complaint_q(user, action: str = "view", prefix: str = "") -> Q:
    """Complaints: the district sees all; officers and street staff their streets' (by the matched
    community's street, or the street named in the address when no community matched); a
    department the matters referred to it; a property company only the reports it filed itself —
    never the residents' complaints about it, which would expose the callers."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return _complaints_in_district(user, prefix)
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    if action != "view":
        return NOTHING
    if role == Role.DEPARTMENT and user.department_id:
        return Q(**{f"{prefix}department_id": user.department_id}) & _complaints_in_district(user, prefix)
    if role == Role.PROPERTY and user.property_company_id:
        return Q(**{f"{prefix}reporting_company_id": user.property_company_id})
    if role == Role.LEGAL:  # the complaints behind the cases it reviews (callers masked: not in "caller")
        return Q(**{f"{prefix}case__isnull": False}) & _complaints_in_district(user, prefix)
    return NOTHING


def case_q(user, action: str = "view", prefix: str = "") -> Q:
    """Cases: the district sees all; officers and street staff their streets'; a department the cases
    referred to it; a property company none (its duty checks come through their own pages). The legal reviewer
    (法制审核) reads the district's cases; the workflow table limits the moves the role makes to its reviews."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD, Role.LEGAL}:
        return _in_district(user, f"{prefix}street_id")
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        if not ids:
            return NOTHING
        if action != "view" and role == Role.STREET:
            return NOTHING  # street staff follow cases; officers run them
        return Q(**{f"{prefix}street_id__in": ids})
    if role == Role.DEPARTMENT and user.department_id and action == "view":
        return Q(**{f"{prefix}referred_to_id": user.department_id}) & _in_district(user, f"{prefix}street_id")
    return NOTHING


def referral_q(user, action: str = "view", prefix: str = "") -> Q:
    """Referrals: the receiving department signs and answers; the bureau and the street follow them."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return _in_district(user, f"{prefix}street_id")
    if _city_reads(role, action):
        return Q()
    if role == Role.DEPARTMENT and user.department_id:
        return Q(**{f"{prefix}department_id": user.department_id}) & _in_district(user, f"{prefix}street_id")
    if role in STREET_SCOPED and action == "view":
        ids = street_ids(user)
        return Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    return NOTHING


def _is_housing(user) -> bool:
    return role_of(user) == Role.DEPARTMENT and bool(user.department_id) and user.department.code == "HOUSING"


def duty_check_q(user, action: str = "view", prefix: str = "") -> Q:
    """Duty checks on property companies: the bureau decides them (officers in their streets); street
    staff and the housing bureau follow them; a company sees and answers ("answer") only its own."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return _in_district(user, f"{prefix}street_id")
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        if not ids or (action != "view" and role == Role.STREET):
            return NOTHING
        return Q(**{f"{prefix}street_id__in": ids})
    if role == Role.DEPARTMENT and action == "view" and _is_housing(user):
        return _in_district(user, f"{prefix}street_id")
    if role == Role.PROPERTY and user.property_company_id and action in {"view", "answer"}:
        return Q(**{f"{prefix}company_id": user.property_company_id})
    return NOTHING


def credit_q(user, action: str = "view", prefix: str = "") -> Q:
    """Credit ledger, disputes and the joint punishment list: the bureau and the housing bureau see every
    company's; a company its own only, and it may "dispute" its records. Changes ("decide": a dispute,
    removing a listing) are for the bureau's supervisors and the housing bureau."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if action == "view":
        if role in {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET} or _is_housing(user):
            return _companies_in_district(user, f"{prefix}company_id")
        if role in CITY_WIDE_VIEW:
            return Q()
    elif action == "decide" and (role in {Role.ADMIN, Role.LEAD} or _is_housing(user)):
        return _companies_in_district(user, f"{prefix}company_id")
    if role == Role.PROPERTY and user.property_company_id and action in {"view", "dispute"}:
        return Q(**{f"{prefix}company_id": user.property_company_id})
    return NOTHING


def inventory_q(user, action: str = "view", prefix: str = "") -> Q:
    """The illegal-construction inventory: like cases — the district sees all, officers and street staff
    their streets' and may both update it there (the street runs the 清零 campaign with the bureau), every
    department reads it, a company sees the items in the communities it manages."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return _in_district(user, f"{prefix}street_id")
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    if action != "view":
        return NOTHING
    if role == Role.DEPARTMENT:
        return _in_district(user, f"{prefix}street_id")
    if role == Role.PROPERTY and user.property_company_id:
        return Q(**{f"{prefix}community__property_company_id": user.property_company_id})
    return NOTHING


def import_batch_q(user, action: str = "view", prefix: str = "") -> Q:
    """Imported files (12345): the bureau sees the files of its district's staff (all of them while the
    installation holds one district: the command's own imports have no importer); anyone else the files they
    imported themselves."""
    role = role_of(user)
    if role is None:
        return NOTHING
    mine = Q(**{f"{prefix}imported_by": user})
    if role in {Role.ADMIN, Role.LEAD}:
        if district_streets(user) is None:
            return Q()
        if not user.district_id:
            return mine
        return (mine | Q(**{f"{prefix}imported_by__district_id": user.district_id})
                | Q(**{f"{prefix}district_id": user.district_id}))
    return mine


def reroute_street_q(user, prefix: str = "") -> Q:
    """Streets a wrongly sent complaint may be re-routed to (改派街镇, R3.5): the bureau's officers and
    supervisors name the right street of the district, whichever it is; only the street's name is shown,
    and the complaint leaves the sender's scope once sent on."""
    if role_of(user) in {Role.ADMIN, Role.LEAD, Role.OFFICER}:
        return _in_district(user, f"{prefix}pk")
    return NOTHING


# --- campaigns and their lists (programme: 专项行动, 问题清单, 任务清单) -------------------------------------

def campaign_in_district(user, prefix: str = "") -> Q:
    """A campaign of the user's district, or one of no district (the installation's, e.g. the city's)."""
    ids = district_streets(user)
    if ids is None:
        return Q()
    districts = _streets(user).filter(pk__in=ids).values("district_id")
    return Q(**{f"{prefix}district__isnull": True}) | Q(**{f"{prefix}district_id__in": districts})


def campaign_q(user, action: str = "view", prefix: str = "") -> Q:
    """Campaigns (专项行动 / 工作方案): every role of the district but the property companies reads them (the
    streets and departments carry their tasks); the bureau's supervisors change them; the city reads all."""
    role = role_of(user)
    if role is None or role == Role.PROPERTY:
        return NOTHING
    if _city_reads(role, action):
        return Q()
    if action == "view" and role in DISTRICT_WIDE_VIEW | STREET_SCOPED:
        return campaign_in_district(user, prefix)
    if role in {Role.ADMIN, Role.LEAD}:
        return campaign_in_district(user, prefix)
    return NOTHING


def campaign_task_q(user, action: str = "view", prefix: str = "") -> Q:
    """Tasks (任务清单): the bureau's supervisors all of their district's; officers and street staff their
    streets' tasks; a department its own tasks; each of them updates what it sees. The city reads all."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return campaign_in_district(user, f"{prefix}campaign__")
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}owner_street_id__in": ids}) if ids else NOTHING
    if role == Role.DEPARTMENT and user.department_id:
        return (Q(**{f"{prefix}owner_department_id": user.department_id})
                & campaign_in_district(user, f"{prefix}campaign__"))
    return NOTHING


def campaign_problem_q(user, action: str = "view", prefix: str = "") -> Q:
    """Problems (问题清单): the bureau's supervisors all of their district's; officers and street staff their
    streets' (they record survey findings there); a department reads the problems named for it."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in {Role.ADMIN, Role.LEAD}:
        return campaign_in_district(user, f"{prefix}campaign__")
    if _city_reads(role, action):
        return Q()
    if role in STREET_SCOPED:
        ids = street_ids(user)
        return Q(**{f"{prefix}street_id__in": ids}) if ids else NOTHING
    if role == Role.DEPARTMENT and user.department_id and action == "view":
        return (Q(**{f"{prefix}department_id": user.department_id})
                & campaign_in_district(user, f"{prefix}campaign__"))
    return NOTHING
