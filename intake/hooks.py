"""Hooks through which cases (above intake) does its part for a complaint without intake importing it: the
referrals (移交, cases.models.Referral) a confirmed non-enforcement complaint is sent as, withdrawn when the
complaint leaves. cases registers its handlers in CasesConfig.ready(); without them (intake alone) no referral
is sent. Whether a user may open a case is the policy's (accounts.policy.CASE_OPEN), not a hook's.

- `register_referral_desk(send=..., withdraw_pending=...)`:
  send(*, department, matter, actor, complaint) sends a referral of the complaint;
  withdraw_pending(*, complaint, actor, reason, keep=None) -> int withdraws the complaint's pending referrals
  (those to `keep`, a department, stay) and says how many.
"""
from collections.abc import Callable
from typing import Any

SendReferral = Callable[..., Any]
WithdrawReferrals = Callable[..., int]

_send: SendReferral | None = None
_withdraw: WithdrawReferrals | None = None


def register_referral_desk(*, send: SendReferral, withdraw_pending: WithdrawReferrals) -> None:
    global _send, _withdraw
    _send, _withdraw = send, withdraw_pending


def referral_send(*, department, matter: str, actor, complaint) -> None:
    if _send is not None:
        _send(department=department, matter=matter, actor=actor, complaint=complaint)


def referrals_withdraw(*, complaint, actor, reason: str, keep=None) -> int:
    if _withdraw is None:
        return 0
    return _withdraw(complaint=complaint, actor=actor, reason=reason, keep=keep)
