"""Demo content of the course "Soft Tissue Release: Foundations"."""

from shop.courses.demo_lessons.spec import course, lesson, question

STR_FOUNDATIONS = course(
    modules=[
        ("The principles of STR", [
            lesson("What Soft Tissue Release is", ("steps", "Soft Tissue Release in three steps",
                   ["Shorten the muscle", "Lock the tissue", "Stretch away from the lock"]),
                   "Three boxes joined by arrows: shorten the muscle, lock the tissue, stretch away from the lock",
                   """
Soft Tissue Release (STR) is a way of stretching one small part of a muscle at a time. You fix, or
*lock*, a point of the tissue with your thumb, fist, forearm or elbow, and then lengthen the muscle so
that the tissue on one side of your lock is stretched while the rest of the muscle is not.

## The three steps

1. **Shorten** the muscle by moving the joint so that the muscle's ends come closer together.
2. **Lock** the tissue: press into the muscle just firmly enough that the skin and the tissue beneath
   it cannot slide under your contact.
3. **Stretch**: move the joint so that the muscle lengthens. The tissue between your lock and one
   attachment is stretched; the client feels the stretch close to your lock.

Release the lock, return the muscle to its shortened position, place a new lock a little further along
the muscle, and repeat. A line of four to six locks treats a band of the muscle in a minute or two.

## Why it helps

A general stretch lengthens the whole muscle and tends to stretch whatever already moves most easily.
STR concentrates the stretch where you place the lock, so it reaches the stubborn areas that a
whole-muscle stretch passes by.

## Key points

- Shorten, lock, stretch: always in that order.
- The lock fixes tissue; it is not a deep compression.
- The stretch is felt near the lock, so moving the lock moves the stretch.
"""),
            lesson("Choosing and applying a lock", ("compare", "A good lock and a poor one",
                   ("Good lock", ["Broad contact: fist, forearm or supported thumb",
                                  "Just enough pressure to fix the skin",
                                  "Slight push toward the muscle's attachment", "Client feels a local stretch"]),
                   ("Poor lock", ["Unsupported thumb that bends back", "Sliding over the skin with oil",
                                  "Pressing so hard that the client guards", "Over bone, nerve or vein"])),
                   "Two columns comparing a good lock, broad and just firm enough, with a poor one that slides "
                   "or presses too hard",
                   """
The lock decides whether STR works. A lock that slides lets the tissue escape and nothing is
stretched; a lock that presses too hard makes the client tighten against you.

## Tools for a lock

- **Thumb**, supported by the other hand, for small muscles such as the scalenes or the wrist extensors.
- **Soft fist** for broad muscles: hamstrings, calves, the quadriceps.
- **Forearm** for the large muscles of the back and the thigh, where it spares your hands.
- **Elbow** only for dense tissue such as the gluteals, and with care.

## Applying it

Work on dry skin or through a towel: oil makes the lock slide. Press in just far enough to fix the skin
and the tissue beneath, then add a slight pressure toward the muscle's nearest attachment, as though
you were taking up the slack. Ask the client where they feel the stretch: it should be near your lock.

## Key points

- Work without oil, or through a towel, so the lock does not slide.
- Use the broadest tool that fits the muscle; keep your thumbs for small areas.
- Never lock over bone, a pulse, a nerve or a varicose vein.
"""),
            lesson("Passive, active-assisted and active STR", ("steps", "Three ways to give STR",
                   ["Passive: you lock and you move the limb", "Active-assisted: you lock, the client moves",
                    "Active: the client locks and moves (self-care)"]),
                   "Three boxes: passive STR, active-assisted STR and active STR, from therapist-led to self-care",
                   """
STR comes in three forms. They differ in who applies the lock and who makes the movement that
stretches the muscle.

## Passive STR

The client relaxes while you apply the lock and move the limb. It suits the table, for muscles you can
move easily such as the hamstrings with the client prone and the knee bent, and for clients who find it
hard to relax while moving.

## Active-assisted STR

You apply the lock and the client makes the movement, for example straightening the knee or bending
the neck to the side. Because the client contracts the muscle's opposite number to move, the target
muscle is encouraged to relax. It is useful for large limbs you cannot move comfortably yourself.

## Active STR

The client applies the lock, with a ball or their own hand, and makes the stretch. This is how STR
becomes home care: show the client once in the session and they can repeat it between visits.

## Key points

- Passive: you lock and move; active-assisted: you lock, the client moves; active: the client does both.
- Active-assisted work uses the client's own movement, which helps the target muscle relax.
- Active STR is the form to teach as self-care.
"""),
        ]),
        ("STR for the major muscle groups", [
            lesson("STR for the upper trapezius and levator scapulae", ("steps", "Seated STR for the upper trapezius",
                   ["Head tilted toward the side", "Lock above the scapula", "Client tilts head away"]),
                   "Three steps of seated active-assisted STR for the upper trapezius",
                   """
The upper trapezius and the levator scapulae are among the muscles clients most often ask you to
treat. Seated active-assisted STR reaches them without a table.

## Upper trapezius

Seat the client with their back supported. Ask them to tilt the head toward the side you are treating,
which shortens the upper fibres. Lock with a soft fist or forearm on the muscle between the neck and
the point of the shoulder, then ask the client to tilt the head slowly away. Move the lock a little
toward the neck for each repetition.

## Levator scapulae

The levator runs from the upper neck to the top of the inner border of the shoulder blade. Lock just
above the upper angle of the shoulder blade, then ask the client to turn the head away slightly and
bring the chin down, as though looking toward the opposite pocket.

## Take care

Stay on the back and side of the neck. Keep away from the front of the neck, where the carotid artery
and the nerves to the arm run, and stop if the client feels tingling or dizziness.

## Key points

- Tilting the head toward the treated side shortens the upper trapezius; tilting it away stretches it.
- For the levator, the stretch is a turn away and a chin tuck.
- Never lock on the front of the neck.
"""),
            lesson("STR for the hamstrings and calves", ("steps", "Prone STR for the hamstrings",
                   ["Bend the knee (shorten)", "Lock with a soft fist", "Lower the leg to straight (stretch)"]),
                   "Three steps of passive STR for the hamstrings with the client lying face down",
                   """
The hamstrings and the calf muscles suit passive STR on the table, because you can move the knee and
the ankle easily while the client lies face down.

## Hamstrings

With the client prone, bend the knee to about ninety degrees and support the lower leg on your
shoulder or hand. Lock with a soft fist a hand's width below the buttock crease, then lower the leg
slowly to straight. Place each new lock a little further toward the knee, and stop short of the back of
the knee itself.

## Calves

Let the client's feet hang over the end of the table. With the ankle pointed (which shortens the
calf), lock on the upper calf, then bring the ankle up toward the shin, using your thigh against the
sole of the foot rather than your hands. Bending the knee first shifts the work onto the soleus.

## Key points

- Hamstrings: bend the knee to shorten, lock, straighten the knee to stretch.
- Calves: point the ankle to shorten, lock, bring the ankle up to stretch.
- Stay out of the hollow behind the knee, where nerves and vessels run close to the surface.
"""),
        ]),
        ("STR in your practice", [
            lesson("Combining STR with your massage routine", ("cycle", "Where STR fits in a treatment",
                   ["Warm the tissue with massage", "Assess: find the tight band", "STR along the band",
                    "Reassess range of movement"]),
                   "A circle of four steps: warm the tissue, assess, STR along the band, reassess",
                   """
STR is not a routine on its own: it fits inside the massage you already give, in the places where
general strokes leave a band of tissue that stays tight.

## A simple sequence

1. Warm the area with a few minutes of effleurage and petrissage.
2. Assess: feel for the band that stays tight, and test the range of the joint the muscle crosses.
3. Remove the oil from the area with a towel and give STR along the band: three or four lines of
   locks, each line a little to one side of the last.
4. Reassess the range of movement, then finish with a few flowing strokes.

## How much

Two or three passes of STR on one muscle are usually enough in one session. More is not better: the
tissue can become tender the next day, like after a new exercise.

## Key points

- Warm the tissue first; STR works best on muscle that has been massaged.
- Wipe off the oil before STR, and reassess afterwards so that you and the client see the change.
- A few passes per muscle per session are enough.
"""),
            lesson("Safety, feedback and contraindications", ("scale", "How firm should a lock feel?",
                   "0: nothing", "10: worst imaginable", [(3, "Comfortable stretch"), (6, "Strong but welcome"),
                                                          (8, "Too much: the client braces")]),
                   "A pressure scale from 0 to 10, with a strong but welcome stretch at about 6 and bracing at 8",
                   """
STR is strong work in a small area, so ask for feedback and know when not to use it.

## Asking for feedback

Agree a scale with the client before you start: 0 is nothing, 10 the worst they can imagine. Aim for a
stretch the client rates no higher than about 6, strong but welcome. If they hold their breath, pull
away or tighten the muscle, the lock or the stretch is too much: ease off.

## When not to use STR

- Over recent injuries, bruises, burns, open wounds or skin infections.
- Over varicose veins, or where a deep vein thrombosis is possible (a swollen, warm, painful calf):
  refer such a client to a doctor the same day.
- Over a recent fracture or surgery, or near a joint replacement without the surgeon's clearance.
- With firm locks on clients with osteoporosis, or on anticoagulant medicine, who bruise easily.

## Key points

- Keep the stretch at about 6 out of 10 or less, and watch for bracing and breath-holding.
- A swollen, warm and painful calf is a reason to refer, never to treat.
- Lighten the lock for fragile tissue, and avoid injured or infected areas altogether.
"""),
        ]),
    ],
    questions=[
        question(1, "In which order are the steps of Soft Tissue Release carried out?", "Shorten, lock, stretch",
                 "Stretch, lock, shorten", "Lock, stretch, shorten", "Shorten, stretch, lock"),
        question(1, "Where does the client usually feel the stretch during STR?", "Close to the therapist's lock",
                 "In the opposite limb", "Only at the muscle's tendon", "Evenly along the whole muscle"),
        question(2, "Why is STR usually given on dry skin or through a towel?", "So that the lock does not slide",
                 "To keep the client warm", "Because oil is a contraindication", "To make the pressure deeper"),
        question(3, "In active-assisted STR, who applies the lock and who makes the movement?",
                 "The therapist locks and the client moves", "The client locks and the therapist moves",
                 "The therapist does both", "The client does both"),
        question(3, "Which form of STR is taught to clients as self-care?", "Active STR", "Passive STR",
                 "Active-assisted STR", "None: STR cannot be self-applied"),
        question(4, "In seated STR for the right upper trapezius, which movement stretches the muscle?",
                 "Tilting the head to the left, away from the treated side", "Tilting the head to the right",
                 "Shrugging both shoulders", "Looking up at the ceiling"),
        question(5, "In prone STR for the hamstrings, how is the muscle first shortened?", "By bending the knee",
                 "By straightening the knee", "By pointing the toes", "By lifting the leg off the table"),
        question(6, "What should you do before giving STR in the middle of a massage?",
                 "Wipe the oil from the area", "Apply more oil", "Cool the area with ice",
                 "Ask the client to stand up"),
        question(7, "A client's calf is swollen, warm and painful. What do you do?",
                 "Refer them to a doctor the same day without treating the calf",
                 "Give gentle STR to the calf", "Apply firm locks to reduce the swelling",
                 "Stretch the calf and re-check next week"),
    ],
    checklist=["Client consent and the 0-10 feedback scale agreed", "Area warmed with massage first",
               "Oil wiped off; lock on dry skin or a towel", "Muscle shortened before each lock",
               "Lock just firm enough to fix the tissue", "Stretch felt near the lock, at 6/10 or less",
               "No locks over veins, nerves, bone or injuries", "Range of movement reassessed afterwards"],
    selfcare=[("Calves", "Ball under the calf, point then flex the ankle", "5 slow repeats, daily"),
              ("Hamstrings", "Seated on a ball, straighten the knee", "5 repeats per spot"),
              ("Upper trapezius", "Hand presses the muscle, tilt the head away", "3 repeats per side"),
              ("Forearm", "Thumb on the muscle, bend and straighten the wrist", "5 repeats, after work")],
)
