"""A keyword classifier for tests of routing and de-duplication, so they do not depend on the model."""
from dataclasses import dataclass, field

import pytest

KEYWORDS = [
    ("充电", "EBIKE_CHARGING", "CHENGGUAN"),
    ("电瓶车", "EBIKE_PARKING", "CHENGGUAN"),
    ("搭建", "ILLEGAL_CONSTRUCTION", "CHENGGUAN"),
    ("群租", "GROUP_RENTING", "CHENGGUAN"),
    ("物业费", "NON_ENFORCEMENT", "HOUSING"),
    ("噪声", "NON_ENFORCEMENT", "POLICE"),
]


@dataclass
class FakePrediction:
    violation_type: str | None
    department: str | None
    confidence: float
    evidence: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)


class KeywordClassifier:
    def predict_many(self, texts):
        out = []
        for text in texts:
            for word, code, dept in KEYWORDS:
                if word in text:
                    confidence = 0.3 if "不确定" in text else 0.9
                    out.append(FakePrediction(code, dept, confidence, [word], [[code, confidence]]))
                    break
            else:
                out.append(FakePrediction("COMMON_AREA_OCCUPATION", "CHENGGUAN", 0.2, [], []))
        return out

    def predict(self, text):
        return self.predict_many([text])[0]


@pytest.fixture
def keyword_classifier(monkeypatch):
    classifier = KeywordClassifier()
    import intake.classifier

    monkeypatch.setattr(intake.classifier, "get_classifier", lambda *a, **k: classifier)
    return classifier
