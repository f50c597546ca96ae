"""Demo content of the course "Myofascial Release: Principles and Practice"."""

from shop.courses.demo_lessons.spec import course, lesson, question

MFR_PRINCIPLES = course(
    modules=[
        ("Fascia and how it responds", [
            lesson("What fascia is and how it responds to load", ("compare", "Quick load and sustained load",
                   ("Quick, strong load", ["Tissue resists and stiffens", "Client guards", "Little lasting change"]),
                   ("Slow, sustained load", ["Tissue lengthens gradually (creep)", "Client relaxes",
                                             "Felt as a softening or release"])),
                   "Two columns: fascia stiffens under quick, strong load and lengthens gradually under sustained load",
                   """
Fascia is the connective tissue that wraps and connects every muscle, vessel and organ: a continuous
web of collagen and elastic fibres in a watery ground substance. Superficial fascia lies under the
skin; deep fascia surrounds and divides muscles.

## How it behaves under load

Fascia is viscoelastic. Load it quickly and firmly and it resists, and the client tends to tighten
against you. Load it slowly and hold, and it lengthens gradually: this slow yielding under a constant
load is called **creep**. Myofascial release (MFR) uses that behaviour: gentle, sustained pressure and
stretch rather than speed or force.

## What "release" feels like

Under your hands, a release feels like the tissue softening, warming, or letting your hands drift
further. It usually takes a minute or more: MFR holds are counted in minutes, not seconds.

## Key points

- Fascia is a continuous web of connective tissue around and between structures.
- It resists quick, strong load and yields to slow, sustained load (creep).
- MFR holds are gentle and long: usually 90 seconds or more.
"""),
            lesson("Assessing restrictions", ("steps", "Assessing a fascial restriction",
                   ["Look: posture and skin creases", "Feel: skin drag and glide", "Test: move the tissue in each "
                    "direction", "Compare both sides"]),
                   "Four steps of assessment: look, feel for skin drag, test glide in each direction, compare sides",
                   """
Before you release a restriction you need to find it. Assessment in MFR uses the eyes and the
lightest touch.

## Look

Observe posture: a shoulder drawn forward, a pelvis tilted, skin creases that pull toward one spot.
Restrictions often show as a pull away from the straight lines of the body.

## Feel

Slide a flat hand lightly over dry skin. Areas of restriction feel different: the skin drags, feels
thicker or cooler, or does not glide over the tissue beneath.

## Test

Place a flat hand on the area, sink only until you meet the tissue, and move it gently in each
direction: up and down, side to side, in circles. A restriction allows less movement in one
direction, and feels firmer at the end of that movement. Compare with the other side.

## Key points

- Look for pulls in posture and skin creases.
- Feel for skin drag, thickening or poor glide with a light, flat hand.
- Test glide in every direction, and compare both sides of the body.
"""),
        ]),
        ("Techniques", [
            lesson("The cross-hand release", ("steps", "The cross-hand release",
                   ["Cross your hands on the area", "Sink to the depth of the tissue", "Take up the slack apart",
                    "Wait at the barrier", "Follow the release"]),
                   "Five steps of a cross-hand release: cross the hands, sink, take up slack, wait, follow",
                   """
The cross-hand release is the basic technique of MFR, used on almost any broad area: the back, the
thigh, the abdomen.

## The technique

1. Place your hands on the area with the forearms crossed, so that they point away from each other.
2. Sink slowly into the tissue until you feel resistance: no further.
3. Take up the slack by letting your hands move apart until you meet the barrier, where the tissue
   stops giving.
4. Wait. Hold at the barrier, without forcing, for at least 90 to 120 seconds; often several minutes.
5. As the tissue softens, follow it: let your hands drift to the new barrier, then wait again.

## Conditions

Use no oil or cream: you need to hold the skin. Keep your pressure constant, and your own body
relaxed, so that you can feel the small changes.

## Key points

- Cross the hands, sink to the tissue, take up the slack, wait at the barrier, follow.
- Hold at least 90 to 120 seconds, often longer; never force the barrier.
- Work on dry skin so your hands do not slide.
"""),
            lesson("Skin rolling", ("steps", "Skin rolling", ["Lift a fold of skin", "Roll it forward with the "
                   "thumbs", "Feed it with the fingers", "Note thick, tender areas"]),
                   "Four steps of skin rolling: lift a fold, roll it with the thumbs, feed it, note thick areas",
                   """
Skin rolling works the superficial fascia, between the skin and the muscle. It is also an
assessment: restricted areas are easy to feel and see.

## The technique

Pick up a fold of skin between your thumbs and fingers, on dry skin. Roll the fold forward by pushing
with the thumbs while the fingers walk ahead and gather new skin. Work in lines: up the back on
either side of the spine, or across a scar's surroundings once it is fully healed.

## What you notice

Where the superficial fascia is restricted, the fold is harder to lift, feels thicker, and is often
tender. Rolling becomes easier after several passes. Redness afterwards is normal and fades quickly.

## Caution

Avoid areas of fragile skin (older clients, long-term steroid use), recent scars, skin disease and
varicose veins. Always ask about tenderness: skin rolling over a restriction can be sharp.

## Key points

- Skin rolling lifts and rolls the skin and superficial fascia on dry skin.
- Restricted areas are harder to lift, thicker and often tender.
- Avoid fragile skin, recent scars and varicose veins.
"""),
            lesson("Myofascial release for the back and pelvis", ("compare", "Back and pelvis releases",
                   ("Technique", ["Cross-hand release, lumbar area", "Sacral hold, one hand on the sacrum",
                                  "Long-axis leg pull"]),
                   ("Position and aim", ["Prone: the thoracolumbar fascia", "Prone: the sacrum and low back",
                                         "Supine: the whole chain from foot to pelvis"])),
                   "Two columns pairing three back and pelvis releases with the client's position and the aim",
                   """
The low back and pelvis are where clients most often ask for MFR, and where the large sheet of the
thoracolumbar fascia connects the back, the gluteals and the latissimus dorsi.

## Three releases

- **Lumbar cross-hand release**: client prone, one hand over the sacrum, the other across the lower
  ribs, taking up the slack apart along the spine.
- **Sacral hold**: the heel of one hand resting on the sacrum, pressing very gently toward the feet,
  while the other hand rests on the upper back. Wait for the pelvis to settle.
- **Leg pull**: client supine; hold the ankle, lean back slowly to take up the slack along the length
  of the leg and hold; the release can be felt as far as the pelvis.

## Putting them together

Begin with the broad releases over the back, then work the specific restriction you found in
assessment, and reassess posture and movement at the end.

## Key points

- The thoracolumbar fascia links the back, gluteals and latissimus dorsi.
- Releases include the lumbar cross-hand, the sacral hold and the leg pull.
- Reassess posture and movement at the end of the session.
"""),
        ]),
        ("Safe practice", [
            lesson("Contraindications and when to refer", ("compare", "Proceed or refer?",
                   ("Proceed (with care)", ["Long-standing stiffness", "Postural aches", "Old, healed scars"]),
                   ("Do not treat: refer", ["Fever or acute infection", "Suspected deep vein thrombosis",
                                            "Unexplained night pain or weight loss", "Recent fracture"])),
                   "Two columns: conditions where myofascial release may proceed with care, and where to refer",
                   """
MFR is gentle, but gentle is not the same as safe for everyone. Screen every client before you begin.

## Do not treat

- Fever, acute infection, cellulitis, or an open wound in the area.
- Suspected deep vein thrombosis, aneurysm, or an acute inflammatory flare.
- A recent fracture, or a fresh injury in its first days.

## Take care, and consult where needed

- Cancer: work only with the agreement of the client's medical team, with light pressure, away from
  tumour sites and treatment areas.
- Anticoagulant medicine, osteoporosis, pregnancy, recent surgery.

## Refer

Pain at night that does not ease with a change of position, unexplained weight loss, progressive
numbness or weakness, or symptoms that are getting worse over weeks are reasons to refer the client
to a doctor before treating.

## Key points

- Screen every client: fever, infection, DVT, recent fracture and acute inflammation mean no MFR.
- Cancer, anticoagulants, osteoporosis and pregnancy need care and often medical agreement.
- Night pain, weight loss and progressive neurological symptoms are reasons to refer.
"""),
            lesson("Putting it together: a session plan", ("cycle", "An MFR session",
                   ["Screen and assess", "Broad releases", "Specific releases", "Reassess and advise"]),
                   "A circle of four stages: screen and assess, broad releases, specific releases, reassess",
                   """
A myofascial session has a shape: from screening and assessment, to broad work, to specific work, and
back to assessment.

## A 60-minute plan

1. **Screen and assess** (10 minutes): health questions, posture, glide testing.
2. **Broad releases** (15 minutes): cross-hand releases over the main areas, to calm the client and
   the tissue.
3. **Specific releases** (25 minutes): the restrictions you found, with cross-hand releases, skin
   rolling, or sustained pressure held for minutes at a time.
4. **Reassess and advise** (10 minutes): retest glide and movement, and give one or two home
   stretches held for at least a minute.

## After the session

Clients may feel tired, thirsty or a little sore, and some notice changes over the next day. Record
what you found and what changed, so the next session starts from there.

## Key points

- Assess, broad releases, specific releases, reassess.
- Home stretches for fascia are held at least a minute.
- Record the findings and the changes for the next session.
"""),
        ]),
    ],
    questions=[
        question(1, "What is 'creep' in fascia?", "Gradual lengthening under a slow, sustained load",
                 "A sudden tear under a quick load", "Shortening after exercise", "Fluid loss after massage"),
        question(1, "How long are myofascial release holds usually?", "90 seconds or more",
                 "2 to 3 seconds", "Exactly 10 seconds", "No hold: it is a fast stroke"),
        question(2, "What may you feel over a fascial restriction with a light, flat hand?",
                 "Skin drag, thickening or poor glide", "A pulse that stops", "Nothing at all",
                 "A sharp bony edge"),
        question(3, "In the cross-hand release, what do you do at the barrier?", "Wait without forcing it",
                 "Push through it quickly", "Add oil and slide", "Release and move elsewhere at once"),
        question(3, "Why is MFR given without oil?", "So the hands can hold the skin",
                 "Because oil is toxic to fascia", "To make the strokes faster", "To keep the client cool"),
        question(4, "What does skin rolling mainly work?", "The skin and the superficial fascia",
                 "The bone marrow", "The joint capsules", "The deep abdominal organs"),
        question(5, "Which sheet of fascia links the back, gluteals and latissimus dorsi?", "Thoracolumbar fascia",
                 "Plantar fascia", "Iliotibial band", "Palmar fascia"),
        question(6, "Which of these is a reason not to give MFR and to refer?", "Suspected deep vein thrombosis",
                 "Long-standing postural stiffness", "An old, healed scar", "Desk-related aches"),
        question(7, "How long are home stretches for fascia held?", "At least a minute",
                 "One second", "Five seconds", "They should bounce, not hold"),
    ],
    checklist=["Health screen: fever, infection, DVT, fracture ruled out", "Posture observed, skin creases noted",
               "Glide tested in every direction, both sides", "No oil: dry skin for every release",
               "Barrier met, never forced; held 90-120 s or more", "Release followed to the new barrier",
               "Reassessment and home stretches held a minute"],
    selfcare=[("Chest", "Doorway stretch, forearm on the frame", "1-2 minutes, daily"),
              ("Low back", "Lie over a soft ball beside the spine", "90 s per spot"),
              ("Hip flexors", "Half-kneeling stretch, pelvis tucked", "1 minute per side"),
              ("Calf", "Wall stretch held long and slow", "1 minute per side")],
)
