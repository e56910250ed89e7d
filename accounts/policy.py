"""Who may do what: ONE table of actions, and `may(user, action, obj=None)` that reads it.

Pages, the API (`accounts.policy.MayPermission`), templates (`{% load policy %}`, `user|may:"…"`), the menu
(`accounts.navigation`) and the services all ask `may()`; none keeps a list of roles of its own.

Each row names the roles that may take the action (a ``(role, department code)`` pair names one department)
and, for a check on one object, what the object must satisfy:

- ``scope``: the object must be in the user's scope for that scope action (``Model.objects.restrict(user,
  scope)``, accounts.scope); ``of`` names the attribute holding the scoped object when it is not the object
  itself (a supervision order is judged by its case);
- ``check``: a named condition on the object's field values (CHECKS below).

Row scoping itself (which records a user reaches) stays in accounts.scope; `may` is about actions. Nothing
here imports an app above accounts: objects are judged by their field values and their own managers.
"""
from dataclasses import dataclass, field

from accounts.choices import Role
from accounts.scope import role_of

ADMIN, LEAD, OFFICER, STREET, DEPARTMENT, PROPERTY, CITY = (Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET,
                                                            Role.DEPARTMENT, Role.PROPERTY, Role.CITY)
LEGAL = Role.LEGAL
HOUSING = (DEPARTMENT, "HOUSING")  # one department: the housing bureau supervises property companies

ALL = frozenset(Role.values)
STAFF = frozenset({ADMIN, LEAD, OFFICER, STREET})          # the bureau and the streets
HANDLERS = frozenset({ADMIN, LEAD, OFFICER})               # those who run cases (cases.workflow)
SUPERVISORS = frozenset({ADMIN, LEAD})                     # 督办, assigning officers, 负责人审批
LEGAL_REVIEWERS = frozenset({LEGAL})                       # 法制审核 (行政处罚法 §58), never the investigators
CREDIT_READERS = frozenset({ADMIN, LEAD, OFFICER, HOUSING, CITY})  # every company's credit (the city reads it)

# --- the actions (stable names; pages, API, templates and services use these constants) ------------------
HOME = "home"
ADMIN_SITE = "admin.site"

COMMUNITY_LIST = "registry.communities"
COMPANY_LIST = "registry.companies"
COMPANY_MINE = "registry.company_mine"
STREET_LIST = "registry.streets"
DEPARTMENT_LIST = "registry.departments"
VIOLATION_TYPE_LIST = "registry.violation_types"

COMPLAINT_QUEUE = "complaint.queue"
COMPLAINT_TRIAGE = "complaint.triage"          # confirm, correct, mark duplicates, answer and export 12345 replies
COMPLAINT_IMPORT = "complaint.import"          # 12345 files
COMPLAINT_RETURN = "complaint.return"          # 退单 (intake.dispatch)
COMPLAINT_REROUTE_STREET = "complaint.reroute_street"
COMPLAINT_REROUTE_DEPARTMENT = "complaint.reroute_department"
COMPLAINT_SETTLE = "complaint.settle"          # 办结（未立案）
FILE_HOTLINE = "complaint.file.HOTLINE"
FILE_PATROL = "complaint.file.PATROL"
FILE_PROPERTY_REPORT = "complaint.file.PROPERTY_REPORT"
FILE_SENSOR = "complaint.file.SENSOR"
FILE_MEDIA = "complaint.file.MEDIA"
FILE_THIRD_PARTY = "complaint.file.THIRD_PARTY"
FILE_WORKSTATION = "complaint.file.WORKSTATION"
FILE_SUPERVISION = "complaint.file.SUPERVISION"
FILE_MANUAL = "complaint.file.MANUAL"

CASE_LIST = "case.list"
CASE_WORKBENCH = "case.workbench"              # the officer's day
CASE_BOARD = "case.board"                      # the supervisors' board
CASE_OPEN = "case.open"
CASE_HANDLE = "case.handle"                    # parties, evidence, documents, fines, 正在搭建
CASE_ASSIGN = "case.assign"
CASE_CLAIM = "case.claim"
CASE_SUPERVISE = "case.supervise"              # 督办
CASE_LEGAL_REVIEW = "case.legal_review"        # 法制审核 of a penalty before the decision
RECHECK_LIST = "case.rechecks"                 # 回头看: the re-checks of closed cases (the officer's, the street's)
RECHECK_RECORD = "case.recheck_record"         # record a re-check's photos and result (回潮 reopens or links)
SUPERVISION_RESPOND = "case.supervision_respond"
REFERRAL_INBOX = "referral.inbox"
REFERRAL_HANDLE = "referral.handle"            # 签收, 反馈, 退回

DUTY_CHECK_LIST = "credit.duty_checks"
DUTY_CHECK_ANSWER = "credit.duty_check_answer"
DUTY_CHECK_DECIDE = "credit.duty_check_decide"
CREDIT_MINE = "credit.mine"
CREDIT_OVERVIEW = "credit.overview"            # ranking, each company's credit, the list, disputes
CREDIT_DISPUTE = "credit.dispute"
CREDIT_DECIDE = "credit.decide"                # disputes and removals from the list

INVENTORY_LIST = "inventory.list"
INVENTORY_CHANGE = "inventory.change"          # register, import, edit, status, link a case

CAMPAIGN_LIST = "campaign.list"                # 专项行动: the campaigns, their phases and three lists (scoped)
CAMPAIGN_MANAGE = "campaign.manage"            # phases' status, compile the problem list, tasks, responsibilities
CAMPAIGN_SURVEY = "campaign.survey"            # record a survey finding (排摸发现) in the problem list
CAMPAIGN_TASK_UPDATE = "campaign.task_update"  # progress, note, linked cases of a task the user owns
CAMPAIGN_MY_TASKS = "campaign.my_tasks"        # 我的任务: the open tasks addressed to the user

ANALYTICS_VIEW = "analytics.view"              # dashboards, metrics API (a street sees its street and the district)
ANALYTICS_WALL = "analytics.wall"              # 大屏, the duty room's wall
POPULATION_CHANGE = "registry.populations"     # street populations (import_populations, the admin page)
BULLETIN_LIST = "bulletin.list"                # 通报: read and download (a street its own and the district's)
BULLETIN_MAKE = "bulletin.make"                # generate one
ASSESSMENT_VIEW = "assessment.view"            # 年度考核: scores and rankings
ASSESSMENT_CONFIGURE = "assessment.configure"  # indicators and weights
CITY_OVERVIEW = "city.overview"                # 市局: every district side by side, ranked (analytics/city.py)


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    scope: str = ""          # the object must be in Model.objects.restrict(user, scope)
    of: str = ""             # attribute of the object that is scoped (default: the object itself)
    check: str = ""          # a named condition of CHECKS
    superuser: bool = False  # a superuser may take it whatever their role (an action of no district role)
    doc: str = field(default="", compare=False)


# One row per action.
POLICY: dict[str, Rule] = {
    HOME: Rule(ALL, doc="the home page"),
    ADMIN_SITE: Rule(frozenset({ADMIN}), doc="Django admin"),

    COMMUNITY_LIST: Rule(ALL),
    COMPANY_LIST: Rule(ALL - {PROPERTY}, doc="a company sees its own page (registry.company_mine)"),
    COMPANY_MINE: Rule(frozenset({PROPERTY})),
    STREET_LIST: Rule(ALL - {PROPERTY}),
    DEPARTMENT_LIST: Rule(ALL),
    VIOLATION_TYPE_LIST: Rule(ALL),

    COMPLAINT_QUEUE: Rule(ALL - {PROPERTY}, doc="a company files and follows its own reports"),
    COMPLAINT_TRIAGE: Rule(STAFF, scope="change"),
    COMPLAINT_IMPORT: Rule(STAFF),
    COMPLAINT_RETURN: Rule(STAFF, scope="change"),
    COMPLAINT_REROUTE_STREET: Rule(HANDLERS, scope="change", doc="the bureau knows the district"),
    COMPLAINT_REROUTE_DEPARTMENT: Rule(STAFF, scope="change"),
    COMPLAINT_SETTLE: Rule(HANDLERS, scope="change", doc="the bureau verifies"),
    FILE_HOTLINE: Rule(STAFF),
    FILE_PATROL: Rule(STAFF),
    FILE_PROPERTY_REPORT: Rule(frozenset({PROPERTY})),
    FILE_SENSOR: Rule(frozenset({ADMIN})),
    FILE_MEDIA: Rule(HANDLERS),
    FILE_THIRD_PARTY: Rule(HANDLERS),
    FILE_WORKSTATION: Rule(STAFF),
    FILE_SUPERVISION: Rule(SUPERVISORS),
    FILE_MANUAL: Rule(STAFF),

    CASE_LIST: Rule(ALL - {PROPERTY}, doc="a company's duty checks come through the credit pages"),
    CASE_WORKBENCH: Rule(frozenset({OFFICER})),
    CASE_BOARD: Rule(SUPERVISORS),
    CASE_OPEN: Rule(HANDLERS, doc="street staff follow cases; officers and the bureau open and run them"),
    CASE_HANDLE: Rule(HANDLERS, scope="change"),
    CASE_ASSIGN: Rule(SUPERVISORS, scope="change"),
    CASE_CLAIM: Rule(frozenset({OFFICER}), scope="change"),
    CASE_SUPERVISE: Rule(SUPERVISORS, scope="view"),
    CASE_LEGAL_REVIEW: Rule(LEGAL_REVIEWERS, scope="change"),
    RECHECK_LIST: Rule(STAFF, doc="the bureau, officers and streets follow the re-checks of their cases"),
    RECHECK_RECORD: Rule(HANDLERS, scope="change", of="case", doc="those who run cases go back to the site"),
    SUPERVISION_RESPOND: Rule(frozenset({OFFICER}), scope="change", of="case", check="own_case",
                              doc="the case's officer (any officer of the street while it has none)"),
    REFERRAL_INBOX: Rule(frozenset({DEPARTMENT})),
    REFERRAL_HANDLE: Rule(frozenset({DEPARTMENT}), check="own_department"),

    DUTY_CHECK_LIST: Rule(frozenset({ADMIN, LEAD, OFFICER, STREET, HOUSING, CITY}), doc="the city reads them"),
    DUTY_CHECK_ANSWER: Rule(frozenset({PROPERTY}), scope="answer", doc="the company checked"),
    DUTY_CHECK_DECIDE: Rule(HANDLERS, scope="decide", doc="officers of the street and the bureau"),
    CREDIT_MINE: Rule(frozenset({PROPERTY})),
    CREDIT_OVERVIEW: Rule(CREDIT_READERS, doc="the bureau and the housing bureau"),
    CREDIT_DISPUTE: Rule(frozenset({PROPERTY}), scope="dispute"),
    CREDIT_DECIDE: Rule(frozenset({ADMIN, LEAD, HOUSING}), scope="decide"),

    INVENTORY_LIST: Rule(ALL),
    INVENTORY_CHANGE: Rule(STAFF, scope="change", doc="streets and officers in their streets, the bureau all"),

    CAMPAIGN_LIST: Rule(ALL - {PROPERTY}, doc="streets and departments read the campaigns they carry tasks of"),
    CAMPAIGN_MANAGE: Rule(SUPERVISORS, scope="change", doc="the bureau runs the campaign"),
    CAMPAIGN_SURVEY: Rule(STAFF, doc="the bureau and the streets' staff and officers in their streets"),
    CAMPAIGN_TASK_UPDATE: Rule(STAFF | {DEPARTMENT}, scope="change", doc="the task's owner, the bureau any"),
    CAMPAIGN_MY_TASKS: Rule(STAFF | {DEPARTMENT}),

    ANALYTICS_VIEW: Rule(ALL - {PROPERTY}, doc="figures only, no personal data; a street its own and the district"),
    ANALYTICS_WALL: Rule(SUPERVISORS, doc="the duty room's wall screen"),
    POPULATION_CHANGE: Rule(frozenset({ADMIN})),
    BULLETIN_LIST: Rule(STAFF | {CITY}, doc="a street reads its own street's bulletins and its district's; the city "
                                            "every district's"),
    BULLETIN_MAKE: Rule(STAFF | {CITY}, doc="a street makes its own street's bulletin only; the city any district's"),
    ASSESSMENT_VIEW: Rule(SUPERVISORS | {STREET, DEPARTMENT}, doc="streets, departments: ranking, own figures"),
    ASSESSMENT_CONFIGURE: Rule(frozenset({ADMIN})),
    CITY_OVERVIEW: Rule(frozenset({CITY}), superuser=True,
                        doc="the city bureau compares the districts; a district's own roles never see the others"),
}

FILE_ACTIONS = {action.rsplit(".", 1)[1]: action for action in POLICY if action.startswith("complaint.file.")}


def file_action(channel: str) -> str | None:
    """The action of filing a complaint through a channel (intake.choices.Channel code)."""
    return FILE_ACTIONS.get(str(channel))


# --- object conditions, by field values ---------------------------------------------------------------

def _own_case(user, order) -> bool:
    """A supervision order is answered by its case's officer (any officer of the street while it has none)."""
    return order.case.officer_id in (None, user.pk)


def _own_department(user, referral) -> bool:
    return bool(user.department_id) and referral.department_id == user.department_id


CHECKS = {
    "own_case": _own_case,
    "own_department": _own_department,
}


def _department_code(user) -> str | None:
    if not user.department_id:
        return None
    return user.department.code


def roles_of(action: str) -> frozenset:
    """The roles a row names (department pairs left out): for tables that list roles, like cases.workflow."""
    return frozenset(r for r in POLICY[action].roles if isinstance(r, str))


def has_role_for(user, action: str) -> bool:
    rule = POLICY[action]
    role = role_of(user)
    if role is None:
        return False
    if role in rule.roles or (rule.superuser and user.is_superuser):
        return True
    if role == DEPARTMENT and any(isinstance(r, tuple) for r in rule.roles):
        return (role, _department_code(user)) in rule.roles
    return False


def in_scope(user, obj, scope: str) -> bool:
    return type(obj).objects.restrict(user, scope).filter(pk=obj.pk).exists()


def may(user, action: str, obj=None) -> bool:
    """Whether `user` may take `action` (on `obj` when given). Unknown actions are a programming error."""
    if action not in POLICY:
        raise KeyError(f"unknown action {action!r}: add it to accounts.policy.POLICY")
    if not has_role_for(user, action):
        return False
    if obj is None:
        return True
    rule = POLICY[action]
    target = getattr(obj, rule.of) if rule.of else obj
    if rule.check and not CHECKS[rule.check](user, obj):
        return False
    return not rule.scope or in_scope(user, target, rule.scope)


def may_any(user, *actions: str) -> bool:
    return any(may(user, action) for action in actions)


class MayPermission:
    """DRF permission: `permission_classes = [MayPermission.of(policy.X, policy.Y)]`: 403 unless `may` allows
    one of the actions (the rows of the viewset's records are then the user's scope, as on the pages)."""

    actions: tuple = ()
    message = "您的角色不能查看或办理这些记录 / your role cannot use these records"

    @classmethod
    def of(cls, *actions: str, message: str | None = None):
        for action in actions:
            if action not in POLICY:
                raise KeyError(action)
        name = "May_" + "_or_".join(a.replace(".", "_") for a in actions)
        return type(name, (cls,), {"actions": actions, "message": message or cls.message})

    def has_permission(self, request, view) -> bool:
        return any(may(request.user, action) for action in self.actions)

    def has_object_permission(self, request, view, obj) -> bool:
        return True
