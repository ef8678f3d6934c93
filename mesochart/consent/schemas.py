"""The JSON shapes of the screening and consent API."""

from datetime import date, datetime

from ninja import Field, Schema


class QuestionOut(Schema):
    key: str
    text: str
    answer_type: str
    options: list[str]
    asked_if: dict | None = Field(None, description='{"question": key, "values": [answers]}')
    required: bool


class QuestionnaireOut(Schema):
    version: str
    area: str
    questions: list[QuestionOut]
    prefill: dict[str, str] = Field(description="What the record already answers")


class ResponseIn(Schema):
    area: str
    answers: dict[str, str] = Field(
        description="Question key → yes / no / unsure, text, or YYYY-MM-DD"
    )


class ResponseOut(Schema):
    id: int
    questionnaire_version: str
    area: str
    mode: str
    asked_on: date
    submitted_at: datetime
    collected_by: str
    written_back_at: datetime | None
    answers: dict[str, str] | None = Field(None, description="Only for clinical roles")


class WrittenBackOut(Schema):
    written_back: list[str]


class TargetIn(Schema):
    cocktail: int = Field(description="Cocktail version id")
    area: str
    indication: str


class ScreeningIn(TargetIn):
    response: int


class FindingOut(Schema):
    key: str
    kind: str
    message: str
    evidence: list[str]
    source: str
    unanswered: list[str]
    acknowledged: bool
    reason: str | None = None
    acknowledged_by: str | None = None


class ScreeningOut(Schema):
    id: int
    response: int
    cocktail: int
    area: str
    indication: str
    completed_on: date
    valid_until: date
    state: str = Field(description="valid or expired (for this screening's own plan)")
    may_treat: bool
    absolute_count: int
    relative_count: int
    unacknowledged_count: int
    findings: list[FindingOut] | None = Field(None, description="Only for clinical roles")


class AcknowledgementIn(Schema):
    key: str
    reason: str


class AcknowledgementOut(Schema):
    key: str
    reason: str
    acknowledged_by: str
    acknowledged_at: datetime


class DocumentOut(Schema):
    text: str
    sha256: str


class SignIn(TargetIn):
    signer_name: str
    signature: str = Field(description="data:image/png;base64,… as the signature pad sends it")
    document_sha256: str = Field(description="SHA-256 of the document the patient was shown")
    photo_marketing: bool = False


class ConsentOut(Schema):
    id: int
    indication: str
    area: str
    cocktail: int
    products: list[str]
    signer_name: str
    signed_at: datetime
    witness: str
    user_agent: str
    document_sha256: str
    withdrawn_at: datetime | None
    withdrawal_reason: str
    valid: bool


class ConsentDetailOut(ConsentOut):
    document: str
    verified: bool
    problems: list[str]


class WithdrawIn(Schema):
    reason: str


class ReadinessQuery(Schema):
    plan: int | None = Field(None, description="A plan of the patient; or give the three below")
    cocktail: int | None = Field(None, description="Cocktail version id")
    area: str | None = None
    indication: str | None = None
    practitioner: int | None = Field(None, description="Who will treat (default: the caller)")


class ItemOut(Schema):
    key: str
    ok: bool
    message: str
    details: list[str]


class ReadinessOut(Schema):
    ready: bool
    items: list[ItemOut]
