"""The base registry (数据底座): where things are, who manages them, and the catalogues that
give each violation its legal basis. Every model keeps its change history."""
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from registry import credit_code
from registry.choices import (
    AddressUnit,
    BasisRole,
    FineUnit,
    Grade,
    PartyKindScope,
    ProblemClass,
    RegulationStatus,
    StreetKind,
    ThresholdKind,
)


def local_name(name: str, name_en: str) -> str:
    """A catalogue name in the reader's language: the English name when English is active and one is set."""
    if name_en and (translation.get_language() or "").startswith("en"):
        return name_en
    return name


class District(TimeStampedModel):
    """区. Several can share one installation under the city bureau (市局); each numbers its own records: the
    prefixes below tell one district's case, document and ledger numbers from another's. The first district of
    an installation leaves them blank and keeps the formats it always had (AJ2026-000001, 普城管责改字〔2026〕第1号,
    WJ-005-2026-0001)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    number_prefix = models.CharField(
        _("编号前缀"), max_length=8, blank=True, default="", db_default="",
        validators=[RegexValidator(r"^[A-Z]{0,8}$", _("编号前缀只能是大写字母"))],
        help_text=_("案件编号与违建台账编号的区前缀（大写字母，如 JA → JA-AJ2026-000001）；留空则不加前缀"))
    document_prefix = models.CharField(
        _("文号简称"), max_length=20, blank=True, default="", db_default="",
        help_text=_("执法文书文号的机关简称（如 静城管 → 静城管责改字〔2026〕第1号）；留空则用文书模板"))
    bureau_name = models.CharField(
        _("区城管执法局名称"), max_length=100, blank=True, default="", db_default="",
        help_text=_("执法文书的发文机关，如 上海市静安区城市管理行政执法局；留空则用文书模板"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        constraints = [models.UniqueConstraint(fields=["number_prefix"], condition=~models.Q(number_prefix=""),
                                               name="district_number_prefix_unique"),
                       models.UniqueConstraint(fields=["document_prefix"], condition=~models.Q(document_prefix=""),
                                               name="district_document_prefix_unique")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class Street(TimeStampedModel):
    """街道/镇."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("区"))
    name = models.CharField(_("名称"), max_length=50)
    short_name = models.CharField(_("简称"), max_length=20, blank=True, help_text=_("如“曹杨”，用于地址匹配"))
    kind = models.CharField(_("类型"), max_length=12, choices=StreetKind.choices, default=StreetKind.SUBDISTRICT)
    code = models.CharField(_("代码"), max_length=12, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("街镇")
        verbose_name_plural = _("街镇")
        ordering = ["code", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.street_q(user, action)

    def population_in(self, year: int) -> int | None:
        """Resident population of the year, or of the latest earlier year on record."""
        record = self.populations.filter(year__lte=year).order_by("-year").first()
        return record.population if record else None


class StreetPopulation(models.Model):
    """Resident population of a street per year: the denominator of 投诉万人比."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="populations", verbose_name=_("街镇"))
    year = models.PositiveSmallIntegerField(_("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    population = models.PositiveIntegerField(_("常住人口"))
    source = models.CharField(_("来源"), max_length=100, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("街镇人口")
        verbose_name_plural = _("街镇人口")
        ordering = ["street", "-year"]
        constraints = [models.UniqueConstraint(fields=["street", "year"], name="street_population_unique_year")]

    def __str__(self):
        return f"{self.street} {self.year}: {self.population}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.street_q(user, action, prefix="street__")


class Committee(TimeStampedModel):
    """居委会."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="committees", verbose_name=_("街镇"))
    name = models.CharField(_("名称"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("居委会")
        verbose_name_plural = _("居委会")
        ordering = ["street", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="committee_unique_name")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.street_q(user, action, prefix="street__")


class PropertyCompany(TimeStampedModel):
    """物业服务企业."""

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[credit_code.validate]
    )
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("物业服务企业")
        verbose_name_plural = _("物业服务企业")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.company_q(user, action)

    def save(self, *args, **kwargs):
        self.credit_code = credit_code.normalize(self.credit_code)
        super().save(*args, **kwargs)


class ProjectManager(TimeStampedModel):
    """物业项目经理."""

    company = models.ForeignKey(
        PropertyCompany, on_delete=models.PROTECT, related_name="managers", verbose_name=_("物业企业")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=50, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("项目经理")
        verbose_name_plural = _("项目经理")
        ordering = ["company", "name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="manager_unique_in_company")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.company_q(user, action, prefix="company__")


class Community(TimeStampedModel):
    """住宅小区."""

    name = models.CharField(_("小区名称"), max_length=100)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街镇"))
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, related_name="communities",
        verbose_name=_("居委会"),
    )
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    property_company = models.ForeignKey(
        PropertyCompany, null=True, blank=True, on_delete=models.PROTECT, related_name="communities",
        verbose_name=_("物业企业"),
    )
    project_manager = models.ForeignKey(
        ProjectManager, null=True, blank=True, on_delete=models.SET_NULL, related_name="communities",
        verbose_name=_("项目经理"),
    )
    owners_committee_contact = models.CharField(_("业委会联系人"), max_length=50, blank=True)
    owners_committee_phone = models.CharField(_("业委会联系电话"), max_length=30, blank=True)
    grade = models.CharField(_("分级分类"), max_length=1, choices=Grade.choices, blank=True)
    is_pilot = models.BooleanField(_("试点小区"), default=False)
    pilot_batch = models.CharField(_("试点批次"), max_length=30, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("住宅小区")
        verbose_name_plural = _("住宅小区")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name_in_street"),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90), name="community_lat_range"
            ),
            models.CheckConstraint(
                condition=models.Q(lng__isnull=True) | models.Q(lng__gte=-180, lng__lte=180), name="community_lng_range"
            ),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.community_q(user, action)


class CommunityAlias(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("小区"))
    name = models.CharField(_("别名"), max_length=100, db_index=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("小区别名")
        verbose_name_plural = _("小区别名")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="alias_unique_in_community")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.community_q(user, action, prefix="community__")


class CommunityAddress(models.Model):
    """One door of a community, stored parsed: road + 弄 or 号, possibly a range (1-25号)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("小区")
    )
    road = models.CharField(_("道路"), max_length=50, db_index=True)
    unit = models.CharField(_("门牌类型"), max_length=8, choices=AddressUnit.choices)
    number_from = models.PositiveIntegerField(_("门牌号"))
    number_to = models.PositiveIntegerField(_("门牌号止"), null=True, blank=True)
    raw = models.CharField(_("原始地址"), max_length=200)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("小区地址")
        verbose_name_plural = _("小区地址")
        ordering = ["road", "number_from"]
        constraints = [
            models.UniqueConstraint(fields=["community", "road", "unit", "number_from"], name="address_unique"),
            models.CheckConstraint(
                condition=models.Q(number_to__isnull=True) | models.Q(number_to__gt=models.F("number_from")),
                name="address_range_ordered",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        span = f"{self.number_from}-{self.number_to}" if self.number_to else f"{self.number_from}"
        return f"{self.road}{span}{'弄' if self.unit == AddressUnit.LANE else '号'}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.community_q(user, action, prefix="community__")


class Department(TimeStampedModel):
    """District departments of seed 000 §六; referrals (移交) are routed by code."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True, default="", db_default="",
                               help_text=_("英文界面显示的名称"))
    duties = models.TextField(_("职责"), blank=True)
    handles = models.TextField(_("受理事项"), blank=True, help_text=_("移交时参考：该部门负责的非城管执法事项"))
    is_enforcement = models.BooleanField(_("执法部门"), default=False)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (pages); `name` stays the Chinese name of records and exports."""
        return local_name(self.name, self.name_en)

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class Regulation(TimeStampedModel):
    """法律法规: the legal basis named by the seeds."""

    short_name = models.CharField(_("简称"), max_length=50, unique=True)
    title = models.CharField(_("名称"), max_length=100)
    issuer = models.CharField(_("制定机关"), max_length=100, blank=True)
    version = models.CharField(_("版本"), max_length=50, blank=True)
    status = models.CharField(_("效力状态"), max_length=12, choices=RegulationStatus.choices)
    notes = models.TextField(_("说明"), blank=True)
    named_in = models.CharField(_("依据来源"), max_length=100, blank=True, help_text=_("哪份文件列出此法规"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["id"]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class ViolationType(TimeStampedModel):
    """The violation catalogue (R1.6). Codes are stable: see CONTRACTS.md."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True, default="", db_default="",
                               help_text=_("英文界面显示的名称"))
    description = models.TextField(_("说明"), blank=True)
    problem_class = models.CharField(_("问题类别"), max_length=12, choices=ProblemClass.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="violation_types", verbose_name=_("主管部门")
    )
    default_measures = models.JSONField(_("默认处理措施"), default=list, blank=True)
    stage_deadlines = models.JSONField(
        _("各阶段期限（工作日）"), default=dict, blank=True,
        help_text=_('例如 {"VERIFY": 3, "INVESTIGATE": 15}，由管理员维护'),
    )
    triggers_duty_check = models.BooleanField(_("触发物业履职检查"), default=False)
    non_onsite = models.BooleanField(_("适用非现场执法"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    regulations = models.ManyToManyField(
        Regulation, through="ViolationBasis", related_name="violation_types", verbose_name=_("法律依据")
    )
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("违法行为类型")
        verbose_name_plural = _("违法行为类型")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (pages); `name` stays the Chinese name of records and exports."""
        return local_name(self.name, self.name_en)

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)

    @property
    def is_enforcement(self) -> bool:
        return self.problem_class != ProblemClass.NONE


class ViolationBasis(models.Model):
    """One legal basis of a violation type: which regulation, which article, what penalty.
    An article or range not verified stays blank or is marked 待核实 — never invented."""

    violation_type = models.ForeignKey(ViolationType, on_delete=models.CASCADE, related_name="bases")
    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="bases")
    role = models.CharField(_("类别"), max_length=12, choices=BasisRole.choices)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    penalty = models.CharField(_("处罚幅度"), max_length=200, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        ordering = ["violation_type", "role", "id"]

    def __str__(self):
        return f"{self.regulation.short_name} {self.article or '待核实'}"

    @property
    def status_label(self) -> str:
        return "已核实" if self.verified else "待核实"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class FineRange(models.Model):
    """罚款幅度: one range a penalty article sets (e.g. 物业规定 §83: 1万–10万, 情节严重 10万–20万). A fine is
    refused outside it (cases.penalties). Per-unit ranges (每平方米, 每人, 倍) multiply the officer's measured
    quantity. Verified with its basis: a range of a 待核实 basis is flagged to the officer."""

    basis = models.ForeignKey(ViolationBasis, on_delete=models.CASCADE, related_name="fine_ranges",
                              verbose_name=_("法律依据"))
    label = models.CharField(_("情形"), max_length=50, default="一般", help_text=_("如：一般、情节严重、电梯内停放"))
    party_kind = models.CharField(_("适用当事人"), max_length=12, choices=PartyKindScope.choices, blank=True)
    low = models.DecimalField(_("下限"), max_digits=12, decimal_places=2)
    high = models.DecimalField(_("上限"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("计罚单位"), max_length=10, choices=FineUnit.choices, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("罚款幅度")
        verbose_name_plural = _("罚款幅度")
        ordering = ["basis", "low", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(low__gt=0) & models.Q(high__gte=models.F("low")),
                                              name="fine_range_ordered")]

    def __str__(self):
        unit = f"（{self.get_unit_display()}）" if self.unit else ""
        return f"{self.basis} {self.label}：{self.low:,.0f}–{self.high:,.0f}元{unit}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class PenaltyThreshold(models.Model):
    """Amounts the bureau maintains (shipped 待核实): a fine at or above HEARING is a 较大数额罚款 whose notice
    offers a hearing (行政处罚法 §63); at or above MAJOR the case is major: 法制审核 (§58) and 集体讨论 (§57)."""

    kind = models.CharField(_("类别"), max_length=10, choices=ThresholdKind.choices)
    party_kind = models.CharField(_("当事人"), max_length=12, choices=PartyKindScope.choices[1:])
    amount = models.DecimalField(_("金额（元，含本数）"), max_digits=12, decimal_places=2)
    verified = models.BooleanField(_("已核实"), default=False)
    note = models.CharField(_("依据/备注"), max_length=200, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("罚款数额标准")
        verbose_name_plural = _("罚款数额标准")
        constraints = [models.UniqueConstraint(fields=["kind", "party_kind"], name="penalty_threshold_unique"),
                       models.CheckConstraint(condition=models.Q(amount__gt=0), name="penalty_threshold_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_party_kind_display()} ≥{self.amount:,.0f}元"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)
