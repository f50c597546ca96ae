"""The demo courses' lesson text, exams and handouts, by the SKU of the demo product they belong to.

Written for the demo catalogue (shop.catalogue.demo_data): each course's modules and lessons match its
title and summary; every exam question is answered in the lesson it names.
"""

from shop.courses.demo_lessons.assessment import LOW_BACK_ASSESSMENT
from shop.courses.demo_lessons.ethics import ETHICS
from shop.courses.demo_lessons.mfr_principles import MFR_PRINCIPLES
from shop.courses.demo_lessons.mfr_thoracic import MFR_THORACIC
from shop.courses.demo_lessons.sports import SPORTS_EVENTS
from shop.courses.demo_lessons.str_foundations import STR_FOUNDATIONS
from shop.courses.demo_lessons.str_lower_limb import STR_LOWER_LIMB
from shop.courses.demo_lessons.stretching import ASSISTED_STRETCHING
from shop.courses.demo_lessons.tpt_lower import TPT_LOWER
from shop.courses.demo_lessons.tpt_neck import TPT_NECK

BY_SKU = {
    "CE-STR-FND": STR_FOUNDATIONS,
    "CE-TPT-NECK": TPT_NECK,
    "CE-MFR-PRIN": MFR_PRINCIPLES,
    "CE-STRETCH": ASSISTED_STRETCHING,
    "CE-STR-LEG": STR_LOWER_LIMB,
    "CE-ETHICS": ETHICS,
    "CE-ASSESS-LB": LOW_BACK_ASSESSMENT,
    "CE-TPT-LOWER": TPT_LOWER,
    "CE-SPORTS": SPORTS_EVENTS,
    "CE-MFR-THOR": MFR_THORACIC,
}
