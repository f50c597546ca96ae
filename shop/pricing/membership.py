"""The membership's money, pure: what a member is charged and what cancelling at once gives back."""


def prorated_refund_cents(paid_cents: int, period_start: int, period_end: int, now: int) -> int:
    """The unused part of a paid period, to the cent (rounded down, so never more than was paid).

    Times are Unix seconds. Nothing comes back before a period starts being unusable (now before the start
    gives the whole amount; now after the end gives nothing).
    """
    if paid_cents <= 0 or period_end <= period_start:
        return 0
    unused = min(max(period_end - now, 0), period_end - period_start)
    return paid_cents * unused // (period_end - period_start)
