"""The all-access membership: a monthly Stripe subscription that opens every published course.

The shop keeps its own record of each subscription (`models.Membership`) in step with what Stripe says:
the answer to its own calls, and webhooks applied idempotently and in any order (`sync`). The course
access rule (shop.courses.access) reads `queries.member_condition`; nothing else decides who is a member.
"""
