"""Demo content of the course "Clinical Assessment of the Low Back"."""

from shop.courses.demo_lessons.spec import course, lesson, question

LOW_BACK_ASSESSMENT = course(
    modules=[
        ("History and observation", [
            lesson("The case history and red flags", ("compare", "Treat or refer?",
                   ("Likely fine to treat", ["Ache that varies with movement and posture", "Stiffness after sitting",
                                             "Pain eases with rest or a change of position"]),
                   ("Red flags: refer", ["Numbness in the saddle area, bladder or bowel changes",
                                         "Unexplained weight loss, history of cancer", "Fever with back pain",
                                         "Night pain unrelieved by any position"])),
                   "Two columns: low back pain features that are likely fine to treat, and red flags to refer",
                   """
Most low back pain is mechanical: it changes with movement and posture and settles over weeks. A
good case history finds the few clients whose pain needs a doctor first.

## The history

Ask where the pain is and whether it spreads, how and when it started, what makes it better or worse,
how it behaves at night, and what the client has already tried. Ask about general health, medication
and past injuries or surgery.

## Red flags

Stop and refer when you hear:

- **Numbness around the saddle area, or new bladder or bowel problems**: possible cauda equina
  syndrome, which needs emergency care the same day.
- A history of **cancer**, **unexplained weight loss**, or **fever** with the back pain.
- **Night pain** that no position relieves, or pain that keeps getting worse.
- **Significant trauma**, such as a fall, or **progressive weakness** in a leg.

## Key points

- Ask where, how it started, what changes it, night behaviour and general health.
- Saddle numbness or bladder or bowel changes mean emergency referral the same day.
- Cancer history, weight loss, fever, constant night pain and trauma are reasons to refer first.
"""),
            lesson("Postural assessment", ("steps", "A postural check, standing",
                   ["From behind: level of the iliac crests", "From behind: the spine's line", "From the side: "
                    "lumbar curve", "Note, don't over-interpret"]),
                   "Four steps of a standing postural assessment, from behind and from the side",
                   """
Posture gives clues, not answers. Research finds only a weak link between posture and back pain, so
use what you see as one piece of the picture.

## From behind

With the client standing, feet hip-width apart, place your hands on the tops of the iliac crests:
are they level? Look at the line of the spine, the levels of the shoulders and the shoulder blades,
and the creases at the waist.

## From the side

Look at the lumbar curve (increased, normal or flattened), the tilt of the pelvis and the position of
the head over the shoulders.

## Recording

Write what you see plainly ("right iliac crest higher than left"), and compare at later sessions. A
difference is a reason to look further, for example at the muscles on each side, not a diagnosis.

## Key points

- Posture is only weakly linked to pain: treat it as a clue.
- From behind, compare the iliac crests, shoulders and the spine's line; from the side, the curve.
- Record what you see, plainly, and compare over time.
"""),
            lesson("Movement assessment", ("steps", "Active movements of the low back",
                   ["Bend forward", "Bend backward", "Side-bend left and right", "Rotate left and right"]),
                   "Four boxes of low back movements: forward, backward, side-bending and rotation",
                   """
How the back moves says more than how it stands. Active movement tests take two minutes and show you
what the client's pain does.

## The movements

Ask the client, standing, to move slowly and only as far as is comfortable:

1. **Forward bending** (flexion).
2. **Backward bending** (extension), hands on the back of the hips.
3. **Side-bending** to each side, sliding a hand down the thigh.
4. **Rotation** to each side, with the pelvis kept still.

## What to note

For each movement: how far, how smooth, whether it reproduces the client's pain and where. Pain on
bending forward that eases on bending back, or the reverse, helps you choose positions for treatment
and gives a measure to recheck at the end of the session.

## Key points

- Test forward bending, backward bending, side-bending and rotation, within comfort.
- Note range, quality, and whether each movement reproduces the familiar pain.
- Retest the same movements at the end of the session.
"""),
        ]),
        ("Palpation and planning", [
            lesson("Palpation of the lumbar and pelvic muscles", ("muscle", "Quadratus lumborum",
                   "Quadratus lumborum", "Tender point at the waist", "Referral: hip, buttock and iliac crest"),
                   "The quadratus lumborum, between the lowest rib and the pelvis, with a tender point marked",
                   """
Palpation links what you heard and saw to specific tissue.

## Erector spinae

With the client prone, the erector spinae form two columns either side of the spine. Compare tone
and tenderness left and right, from the lower ribs to the sacrum.

## Quadratus lumborum

The quadratus lumborum runs from the lowest rib and the lumbar spine to the iliac crest. It is best
reached with the client side-lying, the upper arm overhead to open the space between the rib and the
pelvis; press inward toward the spine, deep to the erector spinae. It often refers pain to the hip,
the buttock and along the iliac crest.

## Gluteals

Palpate gluteus medius below the iliac crest and the piriformis along the line from the sacrum to the
greater trochanter: both are common contributors to low back and buttock pain.

## Key points

- Compare the erector spinae left and right, from the ribs to the sacrum.
- Reach the quadratus lumborum side-lying, between the lowest rib and the iliac crest.
- Include gluteus medius and piriformis in every low back assessment.
"""),
            lesson("Simple tests and what they tell you", ("compare", "Tests within a therapist's scope",
                   ("Test", ["Straight leg raise", "Slump test", "FABER (Patrick's) test"]),
                   ("What a positive result suggests", ["Nerve root irritation if it causes leg pain below the knee",
                                                         "Sensitised nerves along the spine and leg",
                                                         "Hip or sacroiliac joint involvement"])),
                   "Two columns: three simple low back tests and what a positive result suggests",
                   """
A few simple tests help you decide whether to treat, adapt or refer. They do not give a diagnosis:
they guide your next step.

## Straight leg raise

The client lies supine; raise the straight leg slowly. Pain shooting below the knee, usually between
about 30 and 70 degrees, suggests irritation of a nerve root: refer for assessment, and avoid positions
that provoke it. A pull behind the thigh alone is usually tight hamstrings.

## Slump test

Seated, the client slumps, bends the neck, then straightens one knee. Reproduction of their leg
symptoms, eased when they lift the head, suggests sensitised nerves.

## FABER test

Supine, the foot of the tested leg rests on the opposite knee and the bent knee lowers toward the
table. Pain in the groin suggests the hip; pain at the back of the pelvis, the sacroiliac joint.

## Key points

- A straight leg raise reproducing pain below the knee suggests nerve root irritation: refer.
- The slump test checks nerve sensitivity; the FABER test the hip and sacroiliac joint.
- Tests guide treatment and referral; they are not a diagnosis.
"""),
            lesson("From findings to a treatment plan", ("cycle", "Assess, treat, reassess",
                   ["History and red flags", "Observe and test movement", "Palpate and treat",
                    "Reassess and plan"]),
                   "A circle of four stages: history, movement tests, palpation and treatment, reassessment",
                   """
Assessment is only useful if it changes what you do. Bring the findings together into a plan.

## Building the plan

- From the **history**: whether to treat at all, and what the client wants to be able to do.
- From **movement**: which positions are comfortable and which movement to retest.
- From **palpation**: which muscles to treat (for example quadratus lumborum, gluteus medius).
- From the **tests**: whether to adapt (avoid provoking nerve symptoms) or refer.

## Reassess

At the end of the session, repeat the movement that was painful or limited. A change, even small,
tells you and the client that the plan is working. Record it in the SOAP note, with the plan for the
next session and the self-care given.

## When progress stalls

If there is no improvement after a few sessions, or the picture changes, review the red flags and
refer the client to a doctor or physical therapist.

## Key points

- History, movement, palpation and tests each shape the plan.
- Retest the painful or limited movement at the end of every session.
- No progress after a few sessions, or new symptoms: review red flags and refer.
"""),
        ]),
    ],
    questions=[
        question(1, "A client reports saddle numbness and new bladder problems. What do you do?",
                 "Refer for emergency care the same day", "Treat the low back gently",
                 "Book them again next week", "Give stretches for home"),
        question(1, "Which of these is a red flag in low back pain?", "Night pain that no position relieves",
                 "Stiffness after sitting", "Pain that eases with movement", "An ache after gardening"),
        question(2, "What does research say about posture and back pain?", "The link is only weak",
                 "Posture fully explains back pain", "Posture has no effect on anything",
                 "Only sitting posture matters"),
        question(3, "Which movements are tested in the active movement assessment?",
                 "Forward bending, backward bending, side-bending and rotation", "Only forward bending",
                 "Jumping and running", "Only rotation"),
        question(3, "Why retest the same movements at the end of the session?",
                 "To measure the change the treatment made", "To tire the client", "To diagnose a disc",
                 "It is a legal requirement"),
        question(4, "In which position is the quadratus lumborum best reached?",
                 "Side-lying, upper arm overhead", "Standing on one leg", "Supine, knees to chest", "Seated, slumped"),
        question(4, "Between which structures does the quadratus lumborum run?",
                 "The lowest rib and lumbar spine to the iliac crest", "The skull to the shoulder blade",
                 "The kneecap to the shin", "The heel to the toes"),
        question(5, "A straight leg raise causes shooting pain below the knee. What does it suggest?",
                 "Nerve root irritation: refer for assessment", "Only tight hamstrings",
                 "A healthy back", "Tight calf muscles"),
        question(6, "What should you do when there is no progress after a few sessions?",
                 "Review the red flags and refer", "Increase the pressure", "Stop recording notes",
                 "Change nothing"),
    ],
    checklist=["Case history: where, onset, what changes it, night pain", "Red flags screened; emergency signs "
               "referred", "Posture observed from behind and the side", "Flexion, extension, side-bending, "
               "rotation tested", "Erector spinae, quadratus lumborum, gluteals palpated", "Straight leg raise, "
               "slump, FABER where useful", "Movement retested; SOAP note and plan written"],
    selfcare=[("Walking", "Short, regular walks", "10-20 minutes, daily"),
              ("Side stretch", "Standing, arm overhead, lean away", "30 s per side"),
              ("Knee rolls", "Lying, knees bent, roll side to side", "10 slow repeats"),
              ("Sitting", "Stand and move", "Every 30 minutes")],
)
