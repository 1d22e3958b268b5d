"""Massachusetts license-renewal rules: rule-set data files and the engine that applies them."""

from cme_batch.rules.engine import ActivityOutcome, Evaluation, PhysicianResult, evaluate
from cme_batch.rules.ruleset import (
    RuleFileError,
    RuleSet,
    load_ruleset,
    load_rulesets,
    parse_ruleset,
    select_ruleset,
)
from cme_batch.rules.settings import RuleSettings

__all__ = [
    "ActivityOutcome",
    "Evaluation",
    "PhysicianResult",
    "RuleFileError",
    "RuleSet",
    "RuleSettings",
    "evaluate",
    "load_ruleset",
    "load_rulesets",
    "parse_ruleset",
    "select_ruleset",
]
