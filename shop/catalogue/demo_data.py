"""The demo catalogue: the Soft Tissue Release text, home-study courses, combo deals, membership."""

from decimal import Decimal

CATEGORIES = [
    ("soft-tissue-release", "Soft Tissue Release", "The STR technique: lock, stretch and release."),
    ("trigger-point-therapy", "Trigger Point Therapy", "Finding and treating myofascial trigger points."),
    ("myofascial-release", "Myofascial Release", "Sustained pressure and stretch for fascial restrictions."),
    ("stretching", "Stretching", "Assisted and active stretching for clients."),
    ("assessment", "Assessment", "Clinical reasoning and assessment skills."),
    ("sports-massage", "Sports Massage", "Working with athletes before, during and after events."),
    ("ethics", "Ethics and Professional Practice", "Ethics hours that licensing boards ask for."),
]

_LEARN = "## What you will learn\n\n"

BOOK = {
    "sku": "STR-BOOK",
    "slug": "soft-tissue-release-book",
    "title": "Soft Tissue Release",
    "subtitle": "A practical handbook for manual therapists",
    "author": "Mary Sanderson",
    "isbn": "9780993201207",
    "page_count": 224,
    "weight_grams": 640,
    "stock": 40,
    "price_cents": 4995,
    "is_featured": True,
    "categories": ["soft-tissue-release"],
    "summary": "Mary Sanderson's illustrated guide to Soft Tissue Release, the lock-and-stretch technique "
    "for muscles that stay tight.",
    "description_md": (
        "*Soft Tissue Release* is the handbook therapists keep beside the table. Mary Sanderson explains "
        "how to **lock** a point in the muscle, then **stretch** the tissue away from it, so that a "
        "client's tight hamstrings, calves or upper trapezius release in a few passes.\n\n"
        "## Inside the book\n\n"
        "- The principles of passive, active-assisted and active STR\n"
        "- Step-by-step photographs for the neck, shoulder, back, hip and lower limb\n"
        "- Positioning, draping and body mechanics that spare the therapist's hands\n"
        "- Case notes and self-treatment routines to give clients\n\n"
        "Printed on matt paper that lies flat when open."
    ),
}

COURSES = [
    dict(sku="CE-STR-FND", slug="soft-tissue-release-foundations", title="Soft Tissue Release: Foundations",
         author="Mary Sanderson", ce_hours=Decimal("12"), course_format="online_with_kit", lesson_count=10,
         price_cents=14900, weight_grams=450, categories=["soft-tissue-release"], days_old=2,
         summary="The complete STR method, with a printed manual and practice charts sent by mail.",
         body="how to choose a lock, set the stretch and progress from passive to active STR",
         learn=["Passive, active-assisted and active STR", "Locks for the major muscle groups",
                "Combining STR with your existing massage routine"]),
    dict(sku="CE-TPT-NECK", slug="trigger-point-therapy-neck-shoulders",
         title="Trigger Point Therapy for the Neck and Shoulders", author="Mary Sanderson",
         ce_hours=Decimal("8"), course_format="online", lesson_count=8, price_cents=11900,
         categories=["trigger-point-therapy"], days_old=5,
         summary="Locate and deactivate the trigger points behind tension headaches and stiff necks.",
         body="how referred pain patterns lead you to the points that cause them",
         learn=["Referral maps for trapezius, levator scapulae and the suboccipitals",
                "Ischemic compression and pin-and-stretch", "Home care you can teach in two minutes"]),
    dict(sku="CE-MFR-PRIN", slug="myofascial-release-principles", title="Myofascial Release: Principles and Practice",
         author="Jonathan Reyes", ce_hours=Decimal("10"), course_format="online", lesson_count=9, price_cents=12900,
         categories=["myofascial-release"], days_old=9,
         summary="Slow, sustained myofascial techniques for restrictions that ordinary massage does not reach.",
         body="how fascia responds to slow, sustained load and how to feel a restriction release",
         learn=["Cross-hand release and skin rolling", "Myofascial work for the back and pelvis",
                "Contraindications and when to refer"]),
    dict(sku="CE-STRETCH", slug="assisted-stretching-for-therapists", title="Assisted Stretching for Manual Therapists",
         author="Alicia Moreno", ce_hours=Decimal("6"), course_format="online", lesson_count=6, price_cents=8900,
         categories=["stretching"], days_old=14,
         summary="Safe, effective assisted stretches on the table, including PNF and muscle energy techniques.",
         body="how to stretch a client safely with contract-relax and muscle energy techniques",
         learn=["PNF and muscle energy techniques", "Table stretches for hips, hamstrings and shoulders",
                "Protecting your own back while you stretch a client"]),
    dict(sku="CE-STR-LEG", slug="soft-tissue-release-lower-limb", title="Soft Tissue Release for the Lower Limb",
         author="Mary Sanderson", ce_hours=Decimal("8"), course_format="online_with_kit", lesson_count=7,
         price_cents=13900, weight_grams=380, categories=["soft-tissue-release", "sports-massage"], days_old=21,
         summary="STR for hamstrings, calves, quadriceps and the iliotibial band, with a printed technique card set.",
         body="how to apply STR to the runner's and walker's lower limb",
         learn=["STR for hamstrings, calves and quadriceps", "Working around the knee and ankle",
                "Plans for runners and hikers"]),
    dict(sku="CE-ETHICS", slug="ethics-for-massage-therapists", title="Ethics for Massage Therapists",
         author="Dana Whitfield", ce_hours=Decimal("3"), course_format="online", lesson_count=4, price_cents=3900,
         categories=["ethics"], days_old=30,
         summary="Boundaries, consent, scope of practice and record keeping: the ethics hours boards require.",
         body="how to keep boundaries, obtain informed consent and stay within your scope of practice",
         learn=["Informed consent and draping", "Dual relationships and boundaries",
                "Records, confidentiality and social media"]),
    dict(sku="CE-ASSESS-LB", slug="clinical-assessment-low-back", title="Clinical Assessment of the Low Back",
         author="Jonathan Reyes", ce_hours=Decimal("6"), course_format="online", lesson_count=6, price_cents=8900,
         categories=["assessment"], days_old=40,
         summary="Posture, movement and palpation tests to plan treatment for clients with low back pain.",
         body="how to assess a client with low back pain and recognise red flags",
         learn=["Postural and movement assessment", "Palpation of the lumbar and pelvic muscles",
                "Red flags that call for a referral"]),
    dict(sku="CE-TPT-LOWER", slug="trigger-point-therapy-lower-body", title="Trigger Point Therapy: Lower Body",
         author="Mary Sanderson", ce_hours=Decimal("8"), course_format="online", lesson_count=8, price_cents=11900,
         categories=["trigger-point-therapy"], days_old=50,
         summary="Trigger points of the hip, thigh and leg: gluteals, piriformis, quadriceps and calves.",
         body="how to find and treat trigger points from the hip to the foot",
         learn=["Gluteal and piriformis trigger points", "Quadriceps, hamstrings and calves",
                "Plantar fascia and foot pain"]),
    dict(sku="CE-SPORTS", slug="sports-massage-event-techniques",
         title="Sports Massage: Pre- and Post-Event Techniques",
         author="Alicia Moreno", ce_hours=Decimal("6"), course_format="online", lesson_count=6, price_cents=9900,
         categories=["sports-massage", "stretching"], days_old=60,
         summary="Short, targeted routines for athletes before competition and for recovery afterwards.",
         body="how to plan short pre-event and recovery sessions for athletes",
         learn=["Pre-event warm-up massage", "Post-event recovery and flushing",
                "Working at events: setting up and triage"]),
    dict(sku="CE-MFR-THOR", slug="myofascial-release-thoracic-spine", title="Myofascial Release for the Thoracic Spine",
         author="Jonathan Reyes", ce_hours=Decimal("4"), course_format="online", lesson_count=5, price_cents=6900,
         categories=["myofascial-release"], days_old=75,
         summary="Release the rib cage, chest and upper back for clients who sit all day.",
         body="how to release fascial restrictions around the rib cage and upper back",
         learn=["Releases for pectorals and the rib cage", "Rhomboids and the thoracic erectors",
                "Breathing and posture advice"]),
]

COMBOS = [
    dict(sku="COMBO-STR-START", slug="str-starter-combo", title="STR Starter Combo: Book and Foundations Course",
         price_cents=16900, categories=["soft-tissue-release"], days_old=1,
         parts=[("STR-BOOK", 1), ("CE-STR-FND", 1)],
         summary="The Soft Tissue Release book with the Foundations course: everything to start using STR."),
    dict(sku="COMBO-TPT", slug="trigger-point-complete-combo", title="Trigger Point Complete",
         price_cents=19900, categories=["trigger-point-therapy"], days_old=3,
         parts=[("CE-TPT-NECK", 1), ("CE-TPT-LOWER", 1)],
         summary="Both trigger point courses, upper and lower body: 16 CE hours."),
    dict(sku="COMBO-RELEASE", slug="stretch-and-release-combo", title="Stretch and Release Bundle",
         price_cents=19900, categories=["stretching", "myofascial-release"], days_old=4,
         parts=[("CE-STRETCH", 1), ("CE-MFR-PRIN", 1), ("CE-ETHICS", 1)],
         summary="Assisted stretching, myofascial release and your ethics hours: 19 CE hours in one bundle."),
]

MEMBERSHIP = {
    "sku": "MEMBER-MONTHLY",
    "slug": "all-access-membership",
    "title": "All-Access Course Membership",
    "subtitle": "Every home-study course, one monthly price",
    "price_cents": 1995,
    "billing_interval": "month",
    "summary": "Take any home-study course in the catalogue and earn your CE hours for $19.95 a month. "
    "Cancel any time.",
    "description_md": (
        "One membership opens **every online home-study course** in the catalogue, including the ones we "
        "add while you are a member.\n\n"
        "- Study at your own pace, on any device\n"
        "- Earn CE certificates as you complete each course\n"
        "- $19.95 a month, billed monthly; cancel any time from your account\n\n"
        "Printed course kits and the book are not included; buy them separately if you want them."
    ),
}


def course_description(course):
    learn = "\n".join(f"- {item}" for item in course["learn"])
    kit = (
        "\n\nA printed course kit is mailed to you; the online lessons open as soon as you have paid."
        if course["course_format"] == "online_with_kit"
        else "\n\nThe course opens online as soon as you have paid."
    )
    return (
        f"{course['summary']}\n\nIn this home-study course you learn {course['body']}. Each lesson is "
        f"illustrated notes to read at your own pace, and a final exam leads to a certificate for "
        f"{course['ce_hours']} CE hours.\n\n{_LEARN}{learn}{kit}"
    )
