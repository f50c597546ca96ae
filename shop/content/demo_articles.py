"""The demo's articles, written for this shop: four technique notes, each linked to the products it discusses.
`load_demo_articles()` adds the missing ones (published, a week apart) and leaves existing ones as they are."""

from datetime import timedelta

from sqlalchemy import select

from shop.catalogue.models import Category, Product
from shop.content.articles import ArticleInput, save
from shop.content.models import STATE_PUBLISHED, Article
from shop.core.timeutil import utcnow
from shop.extensions import db

ARTICLES = [
    {
        "slug": "what-soft-tissue-release-adds-to-a-massage",
        "title": "What soft tissue release adds to a massage",
        "author": "Mary Sanderson",
        "categories": ["soft-tissue-release"],
        "products": ["soft-tissue-release-book", "soft-tissue-release-foundations", "str-starter-combo"],
        "summary": "Lock, lengthen, release: why a few seconds of targeted stretch under the hand change what a "
                   "stroke alone cannot, and how to fit it into the session you already give.",
        "body": """Most massage strokes glide over a muscle that stays at one length. Soft tissue release (STR)
changes that: the therapist fixes a small area of tissue with a **lock**, then the muscle is lengthened away
from it, so the stretch is felt exactly where the lock sits rather than along the whole muscle.

## The three steps

1. **Lock.** Pressure from a thumb, fist, forearm or elbow, directed slightly against the coming stretch.
2. **Stretch.** The joint moves so the muscle lengthens away from the lock: passively (you move the limb),
   with help, or actively (the client moves it).
3. **Release.** Let go, shorten the muscle again and choose the next lock a little further along.

## Where it fits

STR works well after warming strokes, when the tissue is ready for more specific work, and before
passive stretching. Because the client can take part, it also suits people who dislike lying still for an
hour, and it gives them a movement to repeat at home.

## Common mistakes

- Locking too hard: the client braces and the muscle will not lengthen. Ask for a 6 or 7 out of 10, no more.
- Stretching too fast: the release comes from a slow, full range, not a jerk.
- Staying in one place: move the lock along the fibres, a thumb's width at a time.

The book and the foundations course show locks for each major muscle group, with photographs and the
positions for passive, active-assisted and active work.""",
    },
    {
        "slug": "trigger-points-finding-them-and-easing-them",
        "title": "Trigger points: finding them, and easing them",
        "author": "Mary Sanderson",
        "categories": ["trigger-point-therapy"],
        "products": ["trigger-point-therapy-neck-shoulders", "trigger-point-therapy-lower-body"],
        "summary": "A trigger point is a tender spot in a taut band that can refer sensation elsewhere. How to "
                   "palpate for one, how long to hold it, and when to stop.",
        "body": """Clients often point to where it hurts; the source may be somewhere else. A **trigger point** is
a small, hypersensitive spot within a taut band of muscle, and pressing it can reproduce a familiar pattern of
referred sensation, such as a headache behind the eye from the upper trapezius.

## Palpation

Work across the fibres with a flat finger until you feel a band that is firmer than its neighbours, then
follow it to its most tender point. Ask the client what they feel and where: recognition of "their" pain is
the most useful sign.

## Easing a trigger point

- **Sustained pressure.** Press until the client reports moderate discomfort, hold while it fades (often 30 to
  90 seconds), then increase slightly if it has eased.
- **Follow with length.** Stretch the muscle gently afterwards; STR locks work well here.
- **Re-check.** Palpate again and ask about the referral; reduced tenderness is your feedback.

## When not to

Skip sustained pressure over areas of acute injury, inflammation, varicose veins or where sensation is
reduced, and refer on when pain does not behave mechanically. The trigger point courses cover the common
patterns of the neck, shoulders and lower body with their referral maps.""",
    },
    {
        "slug": "myofascial-release-slow-by-design",
        "title": "Myofascial release: slow by design",
        "author": "Mary Sanderson",
        "categories": ["myofascial-release"],
        "products": ["myofascial-release-principles", "myofascial-release-thoracic-spine"],
        "summary": "Myofascial release uses light, sustained load and time instead of speed or oil. What the "
                   "hands feel, how to pace a session, and how to explain it to clients.",
        "body": """Myofascial release (MFR) asks the therapist to do less, for longer. Instead of gliding strokes,
the hands take up the slack in the tissue with light pressure and wait, letting it change under a load it can
accept.

## What the hands do

Make contact without oil, sink in until you meet resistance, then add a gentle shear in the direction the
tissue moves least. Hold. Over a minute or more you may feel a softening or a slow drift: follow it without
forcing, and take up the new slack.

## Pacing a session

- Choose two or three areas, not the whole body.
- Let each hold last long enough to change something; 90 seconds to a few minutes is common.
- Re-assess range of motion or posture afterwards, so you and the client can see the effect.

## Talking to clients

Tell clients the work is gentle and slow, and that they should say if a hold becomes sharp or they feel
light-headed. The principles course explains the approach and its evidence honestly; the thoracic spine course
applies it to the upper back and ribs.""",
    },
    {
        "slug": "assisted-stretching-that-clients-keep-doing",
        "title": "Assisted stretching that clients keep doing",
        "author": "Mary Sanderson",
        "categories": ["stretching"],
        "products": ["assisted-stretching-for-therapists", "sports-massage-event-techniques"],
        "summary": "Contract-relax, positioning and a home routine of three stretches: how to make assisted "
                   "stretching safe on the table and useful after the client leaves.",
        "body": """Assisted stretching lets the therapist take a client into a range they cannot reach alone, with
support and control. Its value lasts when the client understands what changed and has a way to keep it.

## Contract-relax, simply

Take the muscle to a comfortable stretch. Ask the client to push gently against your hand for about five
seconds (a quarter of their strength is plenty), relax and breathe out, then move a little further into the
new range. Repeat two or three times.

## Keep it safe

- Support the limb fully and keep joints in line; stabilise the pelvis for hamstring and hip work.
- Stretch into mild tension, never pain, and ask rather than guess.
- Avoid strong stretches straight after an acute strain, and be careful with hypermobile clients.

## A routine they will do

Send clients home with no more than three stretches that match what you worked on, each with a photo or a
short description. The assisted stretching course includes positioning for each major muscle group; the sports
massage course shows how to adapt the work before and after events.""",
    },
]


def load_demo_articles() -> int:
    """Add the demo articles that are missing (published over the last weeks); returns how many were added."""
    added = 0
    now = utcnow()
    for index, spec in enumerate(ARTICLES):
        if db.session.scalar(select(Article.id).where(Article.slug == spec["slug"])) is not None:
            continue
        categories = db.session.scalars(select(Category.id).where(Category.slug.in_(spec["categories"]))).all()
        products = {slug: pid for pid, slug in db.session.execute(
            select(Product.id, Product.slug).where(Product.slug.in_(spec["products"])))}
        article = save(ArticleInput(title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                                    body_md=spec["body"], author_name=spec["author"],
                                    category_ids=tuple(categories),
                                    product_ids=tuple(products[s] for s in spec["products"] if s in products)),
                       actor=None)
        article.state = STATE_PUBLISHED
        article.publish_at = now - timedelta(days=7 * (len(ARTICLES) - index))
        db.session.commit()
        added += 1
    return added
