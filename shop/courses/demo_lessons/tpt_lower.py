"""Demo content of the course "Trigger Point Therapy: Lower Body"."""

from shop.courses.demo_lessons.spec import course, lesson, question

TPT_LOWER = course(
    modules=[
        ("The hip and thigh", [
            lesson("Gluteus medius and gluteus minimus", ("muscle", "Gluteus minimus", "Gluteus minimus",
                   "Point under gluteus medius", "Referral: side and back of the thigh and leg"),
                   "Gluteus minimus with a trigger point marked, referring down the side and back of the leg",
                   """
The gluteus medius and minimus stabilise the pelvis every time the client stands on one leg, so they
are overloaded by walking, running and standing with the weight on one hip.

## Gluteus medius

Points lie just below the iliac crest. They refer to the low back, the sacrum and the buttock, and
are a common, overlooked source of "low back pain". Work side-lying with flat palpation against the
pelvis.

## Gluteus minimus

The minimus lies beneath the medius. Its points refer down the side or the back of the thigh and leg,
sometimes to the ankle, so the pain can resemble sciatica. Unlike nerve pain, it brings no numbness,
pins and needles or weakness of the foot.

## Key points

- Gluteus medius points refer to the low back, sacrum and buttock.
- Gluteus minimus points refer down the leg and can mimic sciatica.
- Numbness, tingling or weakness point to a nerve problem: refer rather than treat as trigger points.
"""),
            lesson("Piriformis", ("muscle", "Piriformis", "Piriformis", "Point near its outer end",
                                  "Referral: buttock, back of the hip, sacroiliac area"),
                   "The piriformis muscle with a trigger point near its outer end, referring into the buttock and hip",
                   """
The piriformis runs from the front of the sacrum to the top of the greater trochanter. It turns the
hip outward, and the sciatic nerve runs beneath it (in some people, through it).

## Finding it

With the client side-lying or prone, find the midpoint of a line from the top of the sacrum to the
greater trochanter: the muscle lies along that line, deep to the gluteus maximus. Sink slowly through
the gluteus maximus rather than pressing hard.

## Referral

Piriformis points refer into the buttock, the back of the hip and the sacroiliac area, and sometimes
down the back of the thigh.

## When to refer

If the client reports pain below the knee with numbness or tingling, weakness, or pain on coughing or
sneezing, the cause may be a nerve root in the spine. Refer them to their doctor rather than treating
for "piriformis syndrome".

## Key points

- The piriformis lies along a line from the sacrum to the greater trochanter, deep to gluteus maximus.
- Its points refer to the buttock, back of the hip and sacroiliac area.
- Nerve signs below the knee call for a referral.
"""),
            lesson("Quadriceps and hamstrings", ("compare", "Thigh trigger points and their referral",
                   ("Front of the thigh", ["Rectus femoris: front of the knee", "Vastus medialis: inner knee",
                                           "Vastus lateralis: outer thigh and knee"]),
                   ("Back of the thigh", ["Biceps femoris: back of the knee", "Semitendinosus and semimembranosus: "
                                          "buttock crease and back of the thigh"])),
                   "Two columns listing trigger points of the front and back of the thigh and where each refers",
                   """
Knee pain often comes from the thigh. Before treating the knee, search the quadriceps and the
hamstrings for points that refer there.

## Quadriceps

- **Rectus femoris** points, high on the front of the thigh, refer to the front of the knee, around the
  kneecap.
- **Vastus medialis** points, above the inner knee, refer to the inner knee.
- **Vastus lateralis** holds many points along the outer thigh; they refer along the outer thigh and
  to the outer knee, and can make lying on that side uncomfortable.

## Hamstrings

Points in the biceps femoris refer to the back of the knee; points in the inner hamstrings refer up
to the buttock crease and the back of the thigh. Clients who sit all day commonly have them.

## Key points

- Rectus femoris refers to the front of the knee; vastus medialis to the inner knee.
- Vastus lateralis refers along the outer thigh and knee.
- Search the thigh before treating a painful knee.
"""),
        ]),
        ("The leg and foot", [
            lesson("Gastrocnemius and soleus", ("muscle", "Soleus", "Soleus", "Point in the lower calf",
                                                "Referral: the heel"),
                   "The soleus with a trigger point in the lower calf, referring pain to the heel",
                   """
The calf muscles work with every step. Their points cause calf cramps, heel pain and a feeling of
weakness when climbing stairs.

## Gastrocnemius

Points lie in both heads of the upper calf. They refer to the back of the knee, the calf and the
instep of the foot, and are common in night cramps. Use pincer or flat palpation with the client prone.

## Soleus

The soleus lies beneath the gastrocnemius. Its most common point, a few fingers above the heel, refers
pain to the heel, so it should be checked in every client with heel pain.

## A warning

A painful, swollen, warm calf may be a deep vein thrombosis, not a trigger point. Do not massage it:
ask the client to see a doctor the same day.

## Key points

- Gastrocnemius points refer to the back of the knee, the calf and the instep.
- A soleus point above the heel refers pain to the heel.
- A swollen, warm, painful calf needs a doctor the same day, not massage.
"""),
            lesson("Plantar fascia and foot pain", ("steps", "Treating heel pain",
                   ["Check the calf and soleus", "Work the small foot muscles", "Ease the plantar fascia",
                    "Advise on load and footwear"]),
                   "Four steps for heel pain: check the calf and soleus, work the foot muscles, the fascia, advice",
                   """
Heel pain that is worst on the first steps in the morning is typical of plantar fasciitis (or
fasciopathy), an irritation where the plantar fascia attaches to the heel bone.

## What you can do

1. Treat the **calf and soleus**, whose tightness increases the load on the fascia and whose points
   can refer to the heel.
2. Work the **small muscles of the sole**: abductor hallucis along the inner arch and quadratus plantae
   deep in the middle of the foot.
3. Ease the **fascia** with slow, broad strokes along the arch; avoid firm pressure right on the
   tender spot at the heel.

## What you advise

Reduce the loads that aggravate it for a while (long standing, running on hard ground), wear
supportive shoes rather than walking barefoot on hard floors, and stretch the calf daily. Pain that
lasts for months, or follows an injury, needs assessment by a doctor or podiatrist.

## Key points

- First-step morning heel pain is typical of plantar fasciitis.
- Treat the calf, soleus and sole muscles; keep pressure off the tender heel attachment.
- Advise on load, footwear and calf stretching, and refer long-lasting pain.
"""),
            lesson("Self-care for the lower body", ("steps", "A lower-body self-care routine",
                   ["Ball under the buttock: gluteals", "Roller for the thighs", "Ball under the foot",
                    "Calf stretch against a wall"]),
                   "Four boxes of self-care: ball for the gluteals, roller for the thighs, foot, calf stretch",
                   """
The lower body's points return with the walking, running and sitting that caused them. Teach each
client a short routine for the muscles you treated.

## The routine

1. **Gluteals and piriformis**: sit or lie on a ball on the tender spot for 30 to 60 seconds.
2. **Thighs**: lie on a foam roller and roll slowly along the quadriceps or outer thigh, pausing on
   tender spots.
3. **Foot**: roll a ball under the arch for a minute, with gentle pressure.
4. **Calf**: stretch against a wall with the knee straight, then bent, 30 seconds each.

## Dosage

Discomfort should stay at about 5 out of 10 or less and ease during the hold. Daily for the first
weeks, then a few times a week.

## Key points

- Self-pressure with a ball or roller for 30 to 60 seconds per spot.
- Stretch the calf with the knee straight and bent.
- Keep discomfort at 5 out of 10 or less.
"""),
        ]),
    ],
    questions=[
        question(1, "Where do gluteus medius trigger points typically refer?", "Low back, sacrum and buttock",
                 "The front of the knee", "The heel", "The temple"),
        question(1, "Which muscle's trigger points can mimic sciatica by referring down the leg?",
                 "Gluteus minimus", "Upper trapezius", "Tibialis anterior", "Rhomboid major"),
        question(2, "Along which line does the piriformis lie?", "From the sacrum to the greater trochanter",
                 "From the kneecap to the shin", "From the 12th rib to the iliac crest", "Along the inner arch"),
        question(2, "A client has pain below the knee with numbness and tingling. What do you do?",
                 "Refer them to their doctor", "Treat it as a piriformis point", "Apply firm elbow pressure",
                 "Ignore it: it is always muscular"),
        question(3, "Which trigger points refer to the front of the knee around the kneecap?", "Rectus femoris",
                 "Biceps femoris", "Soleus", "Gluteus medius"),
        question(4, "A soleus trigger point a few fingers above the heel refers pain to:", "The heel",
                 "The hip", "The shoulder", "The top of the head"),
        question(5, "What is typical of plantar fasciitis?", "Heel pain worst on the first steps in the morning",
                 "Pain only at night in bed", "Numbness of the toes", "Pain that is worst after resting all day"),
        question(6, "During self-pressure with a ball, how strong should the discomfort be?",
                 "About 5 out of 10 or less, easing during the hold", "As strong as possible",
                 "It should grow during the hold", "No sensation at all"),
    ],
    checklist=["Low back and leg pain: nerve signs ruled out first", "Gluteus medius and minimus checked side-lying",
               "Piriformis found along the sacrum-trochanter line", "Thigh searched before treating the knee",
               "Calf checked; swollen warm calf referred", "Heel pain: calf, soleus, sole muscles treated",
               "Self-care routine shown"],
    selfcare=[("Gluteals", "Sit on a ball on the tender spot", "30-60 s, daily"),
              ("Outer thigh", "Foam roller, slow, pause on tender spots", "1-2 minutes per side"),
              ("Arch of the foot", "Roll a ball under the arch", "1 minute, morning"),
              ("Calf", "Wall stretch, knee straight then bent", "30 s each, twice a day")],
)
