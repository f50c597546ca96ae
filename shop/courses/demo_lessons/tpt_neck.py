"""Demo content of the course "Trigger Point Therapy for the Neck and Shoulders"."""

from shop.courses.demo_lessons.spec import course, lesson, question

TPT_NECK = course(
    modules=[
        ("Understanding trigger points", [
            lesson("What a trigger point is", ("muscle", "A trigger point in a taut band", "Skeletal muscle",
                                               "Trigger point", "Shaded: where its pain is felt (referral)"),
                   "A muscle outline with a taut band, a trigger point marked in red and its referral zone shaded",
                   """
A myofascial trigger point is a small, hyperirritable spot inside a taut band of skeletal muscle. It
is tender when pressed and it can send pain to another place, often some distance away. Clients rarely
feel the point itself: they feel the pain it refers.

## What you can feel

- A **taut band**: a cord of muscle fibres that feels tighter than the fibres around it.
- A **tender spot** along that band, sometimes a small nodule.
- Sometimes a **local twitch response**: a brief flicker of the band when you snap across it.

## What the client feels

Pressing an active point reproduces pain the client recognises ("that is my headache"). Points also
weaken a muscle and shorten its range without wasting it, which is why a client with neck points may
find turning the head stiff rather than painful.

## Key points

- A trigger point is a hyperirritable spot in a taut band of skeletal muscle.
- It refers pain elsewhere; the client usually describes the referral, not the point.
- Look for the taut band first, then the tender spot along it.
"""),
            lesson("Active and latent points, and referral maps", ("compare", "Active and latent trigger points",
                   ("Active", ["Causes the client's pain without being touched", "Pressure reproduces familiar pain",
                               "Limits movement and strength"]),
                   ("Latent", ["Painful only when pressed", "No spontaneous pain",
                               "Can still stiffen and weaken the muscle", "Can become active with overload"])),
                   "Two columns comparing active trigger points, which cause spontaneous pain, with latent ones",
                   """
Not every tender spot needs treatment. The distinction between active and latent points tells you
which ones matter for the client's complaint.

## Active and latent

An **active** point causes pain on its own, and pressing it reproduces the pain the client came in
with. A **latent** point is tender only when pressed; it does not cause the complaint, but it can
stiffen the muscle and can become active after overload, poor sleep posture or stress.

## Using referral maps

Each muscle refers in a fairly typical pattern. Work backwards from where the client hurts:

- Pain up the side of the neck, behind the ear and into the temple: think **upper trapezius**.
- Pain at the angle of the neck and along the inner edge of the shoulder blade: **levator scapulae**.
- A band of headache from the back of the skull toward the eye: the **suboccipitals**.

Maps are a guide to where to look, not a diagnosis: confirm by palpation and by the client's
recognition of the pain.

## Key points

- Active points cause the familiar pain; latent points are tender only under pressure.
- Use the site of pain and referral maps to choose which muscles to search.
- Confirm with palpation and the client's "yes, that is my pain".
"""),
            lesson("Finding the point: flat and pincer palpation", ("steps", "Two ways to palpate",
                   ["Flat: press the muscle against bone", "Pincer: lift the muscle between thumb and fingers",
                    "Roll across the fibres to find the band"]),
                   "Three boxes: flat palpation against bone, pincer palpation, rolling across the fibres",
                   """
Good palpation saves time: a few seconds of systematic searching finds the band that an hour of
general massage may miss.

## Flat palpation

Where a muscle lies over bone, press it gently against the bone with your fingertips and slide across
the direction of the fibres. The taut band feels like a cord under your fingers. This suits the
levator scapulae near the shoulder blade and the infraspinatus on the back of the shoulder blade.

## Pincer palpation

Where you can lift a muscle, hold it between thumb and fingers and roll the fibres between them. This
suits the upper trapezius along the top of the shoulder, and the posterior border of the armpit.

## Confirming

Follow the band along its length until you find the most tender spot, then hold light pressure and ask
whether the client feels pain elsewhere, and whether it is familiar.

## Key points

- Flat palpation presses a muscle against bone; pincer palpation lifts it between fingers and thumb.
- Always move across the fibres to find the band, then along the band to find the point.
- Ask about referral and familiarity to tell an active point from a latent one.
"""),
        ]),
        ("Treating the neck and shoulders", [
            lesson("The upper trapezius, levator scapulae and suboccipitals", ("muscle", "Upper trapezius",
                   "Upper trapezius", "Point in the upper fibres",
                   "Referral: side of the neck, behind the ear, temple"),
                   "The upper trapezius with a trigger point in its upper fibres, referring up the neck to the temple",
                   """
Three muscle groups account for much of the neck pain and tension headache clients bring.

## Upper trapezius

Points sit in the upper free border, between the neck and the point of the shoulder. Find them with
pincer palpation with the client seated or supine. They refer up the side of the neck, behind the ear
and into the temple, a classic "question mark" over the ear.

## Levator scapulae

Points lie where the muscle crosses the angle of the neck and just above the upper inner corner of the
shoulder blade. They refer to the angle of the neck and down the inner border of the shoulder blade,
and limit turning the head to the same side.

## Suboccipitals

These small muscles lie under the base of the skull. With the client supine, rest your fingertips
under the skull and let the head's weight provide the pressure. They refer a band-like headache from
the back of the head toward the eye.

## Key points

- Upper trapezius points refer up the neck, behind the ear, to the temple.
- Levator scapulae points refer to the angle of the neck and limit turning to the same side.
- For the suboccipitals, let the weight of the client's head give the pressure.
"""),
            lesson("Ischemic compression and pin-and-stretch", ("scale", "Pressure for ischemic compression",
                   "0: nothing", "10: unbearable", [(3, "Start here"), (6, "Hold: strong but tolerable"),
                                                    (8, "Too much")]),
                   "A pressure scale from 0 to 10: start near 3, hold at about 6, never reach 8",
                   """
Two techniques deactivate most trigger points in the neck and shoulders.

## Ischemic compression

Press the point with a fingertip, thumb or pincer grip, increasing the pressure slowly until the client
rates the discomfort at about 5 to 6 out of 10. Hold. Within 30 to 90 seconds the tenderness usually
eases; as it does, you can add a little pressure to keep the same sensation. Release slowly. If the
discomfort does not ease after about a minute and a half, stop and try another approach.

## Pin-and-stretch

Hold the point with moderate pressure, then have the muscle lengthened: for the upper trapezius, the
client tilts the head away. The combination of pressure and stretch treats the taut band as well as
the point.

## Afterwards

Stretch the muscle gently through its full range, and warm it with a few strokes. Clients may feel
sore for a day.

## Key points

- Ischemic compression: about 5 to 6 out of 10, held until the tenderness eases (usually 30 to 90 s).
- Pin-and-stretch: hold the point while the muscle is lengthened.
- Finish with a gentle full-range stretch; warn about soreness the next day.
"""),
            lesson("Home care in two minutes", ("steps", "A two-minute routine for neck points",
                   ["Ball against a wall: 30 s per point", "Gentle neck tilt and turn stretch",
                    "Shoulder rolls and posture breaks"]),
                   "Three boxes: self-pressure with a ball, a gentle stretch, posture breaks",
                   """
Trigger points come back when the habits that caused them continue. A short routine the client can
do at work keeps the effect of your session.

## The routine

1. **Self-pressure**: stand with a tennis ball between the upper back and a wall, and lean into the
   tender spot for about 30 seconds, at a discomfort of no more than 5 out of 10.
2. **Stretch**: tilt the ear toward the opposite shoulder and hold for 30 seconds; then turn the head
   and look down toward the opposite pocket for the levator.
3. **Breaks**: every half hour at a desk, roll the shoulders and look away from the screen.

## Perpetuating factors

Ask about the screen's height, the phone cradled against a shoulder, a heavy bag on one side, and poor
sleep. Small changes there often matter more than treatment.

## Key points

- Self-pressure with a ball for about 30 seconds per point, at 5 out of 10 or less.
- A stretch for each treated muscle, held about 30 seconds.
- Ask about and change the habits that keep points coming back.
"""),
        ]),
    ],
    questions=[
        question(1, "What is a myofascial trigger point?", "A hyperirritable spot in a taut band of skeletal muscle",
                 "A pinched nerve root", "An inflamed joint capsule", "A calcium deposit in a tendon"),
        question(1, "Where does a client usually feel a trigger point's pain?", "In its referral zone, often elsewhere",
                 "Only exactly under the point", "Only in the opposite limb", "Only when they sleep"),
        question(2, "What distinguishes an active trigger point from a latent one?",
                 "An active point causes the client's pain without being touched", "A latent point refers more pain",
                 "Active points are found only in the neck", "Latent points cannot be palpated"),
        question(3, "Which palpation suits the upper trapezius along the top of the shoulder?", "Pincer palpation",
                 "Flat palpation against the ribs", "Percussion", "Palpation through the front of the neck"),
        question(4, "Pain up the side of the neck, behind the ear and into the temple suggests points in:",
                 "The upper trapezius", "The soleus", "The rhomboids", "The quadratus lumborum"),
        question(4, "How is pressure applied to the suboccipitals with the client supine?",
                 "Fingertips under the skull, using the weight of the head", "Elbow pressure on the throat",
                 "Pincer grip on the ear", "Firm thumb strokes down the front of the neck"),
        question(5, "During ischemic compression, what level of discomfort is aimed for?", "About 5 to 6 out of 10",
                 "9 to 10 out of 10", "None at all", "Whatever the therapist can apply"),
        question(6, "Which of these is a perpetuating factor to ask a client about?",
                 "Cradling a phone between ear and shoulder", "Drinking water", "Walking daily",
                 "Stretching after exercise"),
    ],
    checklist=["Pain history: where, when, what makes it worse", "Referral maps checked for the painful area",
               "Taut band found across the fibres", "Point confirmed: familiar pain reproduced",
               "Compression held at 5-6/10 until it eases", "Muscle stretched through its range afterwards",
               "Home routine and perpetuating factors discussed"],
    selfcare=[("Upper trapezius", "Ball against a wall, lean in 30 s", "Twice a day"),
              ("Levator scapulae", "Turn and look to the opposite pocket", "30 s hold, 2 repeats"),
              ("Suboccipitals", "Lie with two balls in a sock under the skull", "2 minutes, evening"),
              ("Desk posture", "Screen at eye level, shoulder rolls", "Every 30 minutes")],
)
