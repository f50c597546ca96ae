"""Demo content of the course "Myofascial Release for the Thoracic Spine"."""

from shop.courses.demo_lessons.spec import course, lesson, question

MFR_THORACIC = course(
    modules=[
        ("The desk-bound upper body", [
            lesson("The thoracic region and the sitting posture", ("compare", "The desk posture",
                   ("Shortened, restricted", ["Pectoralis major and minor", "Front of the shoulder",
                                              "Upper abdominals"]),
                   ("Lengthened, strained", ["Rhomboids and middle trapezius", "Thoracic erectors",
                                             "Back of the neck"])),
                   "Two columns: tissues shortened at the front and lengthened at the back in a rounded desk posture",
                   """
Clients who sit all day often share a posture: the upper back rounded, the shoulders drawn forward
and the head pushed ahead of the body. The tissue at the front shortens and the tissue at the back is
held on a stretch.

## Front and back

- At the **front**, the pectoralis major and minor and the fascia of the chest shorten and pull the
  shoulders forward.
- At the **back**, the rhomboids, middle trapezius and thoracic erectors are held long, working
  constantly to hold the body up. They ache, but they are usually not short.

## What follows for treatment

Release the front first: stretching the back of a client whose chest is restricted adds to the
strain. Then treat the aching back muscles for comfort, and give exercises that strengthen them.

## Key points

- A rounded posture shortens the chest and holds the upper back on a stretch.
- The aching rhomboids are usually long, not short.
- Release the front first, then treat and strengthen the back.
"""),
            lesson("Releasing the pectorals and the rib cage", ("steps", "Pectoral release, supine",
                   ["Client supine, arm relaxed", "Flat hand below the collarbone", "Take up slack toward the "
                    "shoulder", "Hold 90-120 s, follow"]),
                   "Four steps of a supine pectoral release: position, hand placement, take up slack, hold and follow",
                   """
The pectorals and the fascia over the rib cage are the key restrictions of the rounded posture.

## Pectoralis major

With the client supine, place a flat hand just below the collarbone, fingers toward the shoulder. Sink
to the tissue and take up the slack toward the shoulder; hold for 90 to 120 seconds and follow the
release. Then take the arm gently out to the side, supported, to lengthen the muscle further.

## Pectoralis minor

The pectoralis minor runs from the coracoid process, just below the outer collarbone, to the third,
fourth and fifth ribs. Work it gently through the pectoralis major, from the side of the chest toward
the coracoid. The nerves and vessels to the arm pass beneath it: stop if the client feels tingling in
the arm.

## The rib cage

A cross-hand release along the side of the rib cage, client side-lying with the arm overhead, eases the
fascia between the ribs and helps breathing.

## Key points

- Pectoralis minor runs from the coracoid process to ribs three to five.
- Hold pectoral releases 90 to 120 seconds, and follow the release.
- Tingling in the arm during pectoralis minor work means ease off at once.
"""),
        ]),
        ("The upper back and breathing", [
            lesson("The rhomboids and the thoracic erectors", ("steps", "Working the upper back",
                   ["Cross-hand release between the shoulder blades", "Sustained pressure along the erectors",
                    "Strengthening exercise to finish"]),
                   "Three boxes: a cross-hand release, sustained pressure along the erectors, strengthening",
                   """
The upper back is where clients point when they say "it's tight here". It feels tight because it is
working hard, usually held long.

## Technique

- A **cross-hand release** between the shoulder blades, client prone, hands taking up the slack toward
  the head and the feet along the spine.
- **Sustained pressure** with a soft fist or forearm along the thoracic erectors, waiting on each
  restriction rather than stripping quickly.
- **Skin rolling** either side of the spine to assess and free the superficial fascia.

## Finish with strength

After releasing the front of the chest, teach the client to draw the shoulder blades gently back and
down and hold for five seconds, ten times. Releases make room; strength keeps the posture.

## Key points

- The upper back is usually overworked and long, not short.
- Use cross-hand releases, sustained pressure and skin rolling, not fast stripping.
- Pair releases with shoulder-blade strengthening.
"""),
            lesson("Breathing and the diaphragm", ("cycle", "Upper-chest breathing keeps itself going",
                   ["Shallow upper-chest breathing", "Neck muscles overworked", "Rib cage stiffens",
                    "Diaphragm moves less"]),
                   "A cycle: upper-chest breathing overworks the neck muscles, stiffens the ribs, limits the diaphragm",
                   """
The diaphragm is the main muscle of breathing. In a slumped, stressed client it moves less, and the
neck muscles (the scalenes and the sternocleidomastoid) lift the upper chest instead.

## Recognising it

Watch the client breathe while lying supine. In relaxed breathing, the belly and the lower ribs rise
first. In upper-chest breathing, the collarbones and shoulders rise and the belly barely moves.

## What MFR can do

Gentle releases of the rib cage, and of the upper abdomen along the lower border of the ribs, with
slow pressure and the client breathing out, help the lower ribs move. The neck muscles often ease
once they no longer have to lift the chest.

## Teaching breathing

Ask the client to place one hand on the chest and one on the belly, breathe in through the nose so
that the lower hand rises first, and breathe out slowly. A few minutes a day retrains the pattern.

## Key points

- The diaphragm is the main breathing muscle; in upper-chest breathing the neck muscles take over.
- Look for the belly and lower ribs rising first in relaxed breathing.
- Release the rib cage and teach hand-on-belly breathing.
"""),
            lesson("Posture advice and home care", ("steps", "Home care for the desk worker",
                   ["Doorway chest stretch", "Extension over a rolled towel", "Screen at eye level",
                    "A break every 30 minutes"]),
                   "Four boxes of home care: doorway stretch, extension over a towel, screen height, regular breaks",
                   """
The desk posture returns eight hours a day; the session lasts one. Home care and small changes at
the desk decide how long the effect lasts.

## Two exercises

1. **Doorway stretch**: forearms on the door frame at shoulder height, step through gently until the
   chest feels a stretch. Hold for a minute or more: fascia responds to long holds.
2. **Thoracic extension**: lie on the back with a rolled towel across the upper back under the
   shoulder blades, arms relaxed out to the sides, for two minutes.

## At the desk

Raise the screen so that the top is at eye level, bring the keyboard close, and get up at least every
30 minutes. Movement breaks matter more than holding a "perfect" posture all day.

## Key points

- Doorway stretch held a minute or more; towel extension for two minutes.
- Screen at eye level and keyboard close.
- Regular breaks matter more than a perfect posture.
"""),
        ]),
    ],
    questions=[
        question(1, "In a rounded desk posture, which tissues are usually shortened?", "The pectorals at the front",
                 "The rhomboids at the back", "The thoracic erectors", "The hamstrings only"),
        question(1, "Why is the front of the chest released before the upper back?",
                 "Stretching the back of a client with a restricted chest adds to the strain",
                 "The back cannot be treated at all", "The chest is always painful", "It is faster"),
        question(2, "Where does pectoralis minor attach?", "The coracoid process and ribs three to five",
                 "The skull and the sacrum", "The kneecap and the shin", "The heel and the toes"),
        question(2, "What should you do if the client feels tingling in the arm during pectoralis minor work?",
                 "Ease off at once", "Press harder", "Ignore it", "Ask the client to hold their breath"),
        question(3, "How should the upper back be treated?", "Releases and sustained pressure, then strengthening",
                 "Fast, deep stripping only", "Never treat it", "Stretch it as far as possible"),
        question(4, "What is the main muscle of breathing?", "The diaphragm", "The upper trapezius",
                 "The biceps", "The quadratus lumborum"),
        question(4, "In relaxed breathing, what rises first?", "The belly and the lower ribs",
                 "The collarbones and shoulders", "The chin", "Nothing moves"),
        question(5, "How long is the doorway chest stretch held?", "A minute or more", "One second",
                 "Three seconds", "It is bounced, not held"),
    ],
    checklist=["Posture observed: rounded shoulders, forward head", "Front released before the back",
               "Pectoral releases held 90-120 s", "Pectoralis minor: stop on arm tingling",
               "Upper back: releases and sustained pressure", "Breathing pattern observed and taught",
               "Home stretches and desk changes explained"],
    selfcare=[("Chest", "Doorway stretch, forearms on the frame", "1 minute or more, daily"),
              ("Upper back", "Lie over a rolled towel", "2 minutes, evening"),
              ("Shoulder blades", "Draw back and down, hold 5 s", "10 repeats, twice a day"),
              ("Breathing", "Hand on belly, slow nose breathing", "3 minutes, daily")],
)
