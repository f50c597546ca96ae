"""Demo content of the course "Assisted Stretching for Manual Therapists"."""

from shop.courses.demo_lessons.spec import course, lesson, question

ASSISTED_STRETCHING = course(
    modules=[
        ("Principles of assisted stretching", [
            lesson("Why, when and how far to stretch", ("scale", "How strong should a stretch feel?",
                   "0: nothing", "10: pain", [(3, "Mild pull"), (5, "Target: firm, comfortable stretch"),
                                              (8, "Pain: stop")]),
                   "A stretch-intensity scale from 0 to 10: aim for a firm, comfortable stretch near 5, stop at pain",
                   """
An assisted stretch is one you give the client on the table: you position and move the limb, and
the client relaxes or, in the techniques of the next lessons, contracts against you.

## Why stretch a client

Clients gain range of movement and often feel looser. Assisted stretching lets you stretch muscles
that are hard to stretch alone, with the body supported, and lets you feel where the movement stops.

## How far

Move the limb slowly until the client feels the first firm pull: this is the **barrier**. Aim for a
stretch the client rates at about 5 out of 10, firm but comfortable, and never pain. Hold a static
stretch for about 30 seconds.

## When not to

Do not stretch across a recent injury, a joint that has recently dislocated, or a joint that is already
very mobile (hypermobility). Just before events that need power, keep stretches short.

## Key points

- The barrier is the first point of firm resistance.
- Aim for about 5 out of 10, never pain; hold a static stretch about 30 seconds.
- Avoid recent injuries, unstable joints and hypermobile clients.
"""),
            lesson("PNF: contract-relax and hold-relax", ("steps", "Contract-relax PNF",
                   ["Take the muscle to the barrier", "Client pushes against you (6 s)", "Relax and breathe out",
                    "Move to the new barrier"]),
                   "Four steps of contract-relax PNF: barrier, isometric push for six seconds, relax, new barrier",
                   """
Proprioceptive neuromuscular facilitation (PNF) stretching uses a contraction of the muscle before
the stretch. After an isometric contraction, the muscle allows a greater stretch.

## Contract-relax

1. Take the muscle to its barrier.
2. Ask the client to push against your hand, without moving, at a moderate effort, for about six
   seconds. This is an **isometric** contraction: the muscle works but the joint does not move.
3. The client relaxes and breathes out.
4. Take the limb slowly to the new barrier. Repeat two or three times.

## Contract-relax with antagonist contraction (CRAC)

After the relaxation, the client actively moves further into the stretch, contracting the opposite
muscle, while you assist. This often gains a little more range.

## Safety

Build the effort gradually and never ask for a maximal push: a moderate effort is enough, and a
sudden full-force contraction can strain the muscle or the therapist.

## Key points

- Contract-relax: barrier, isometric push of about six seconds, relax, new barrier.
- An isometric contraction works the muscle without moving the joint.
- Moderate effort only, built up gradually.
"""),
            lesson("Muscle energy technique", ("steps", "Post-isometric relaxation (MET)",
                   ["Find the first barrier", "Light contraction: 10-20% effort", "Hold 5-10 s, then relax",
                    "Take up the slack to the new barrier"]),
                   "Four steps of muscle energy technique: barrier, light contraction, hold and relax, new barrier",
                   """
Muscle energy technique (MET) is close to PNF but gentler: the contractions are light, and the
technique is used as much to relax a muscle and restore a joint's range as to stretch.

## Post-isometric relaxation

Take the muscle to the first barrier, not beyond. Ask for a light contraction of the target muscle,
about 10 to 20 percent of full effort, against your resistance, for 5 to 10 seconds. Then the client
relaxes and breathes out, and you take up the slack to the new barrier. Repeat three to five times.

## Reciprocal inhibition

If contracting the target muscle is painful, ask the client to contract the opposite muscle instead:
for the hamstrings, press the leg gently toward the stretch, using the hip flexors and the
quadriceps. The target muscle is inhibited and lets go.

## Key points

- MET uses light contractions: about 10 to 20 percent of effort, 5 to 10 seconds.
- Post-isometric relaxation contracts the target muscle; reciprocal inhibition contracts its opposite.
- Work at the first barrier and take up only the slack that appears.
"""),
        ]),
        ("Table stretches", [
            lesson("Stretching the hamstrings and hips", ("steps", "Supine hamstring stretch with MET",
                   ["Other leg held flat", "Raise the straight leg to the barrier", "Client presses the heel down "
                    "lightly", "Relax, then raise further"]),
                   "Four steps of a supine hamstring stretch with muscle energy technique",
                   """
The hamstrings and the hip muscles are the most stretched muscles on the table.

## Hamstrings

With the client supine, hold the other leg flat on the table (a strap or your knee on a towel helps),
and raise the straight leg until the client feels the barrier behind the thigh. For MET, the client
presses the heel lightly down toward the table against your shoulder; then relaxes while you raise the
leg further. Keep the knee straight and the pelvis flat.

## Gluteals and piriformis

Bend the hip and knee, then bring the knee toward the opposite shoulder. For the piriformis, with the
hip bent to about ninety degrees, bring the knee across the body. Stop if the client feels pinching
at the front of the hip.

## Hip flexors

With the client lying at the end of the table, one knee hugged to the chest, let the other thigh hang
down: this stretches the hip flexors of the hanging leg.

## Key points

- Stabilise the other leg and keep the pelvis flat for hamstring stretches.
- Knee toward the opposite shoulder for the gluteals; stop at pinching in the front of the hip.
- One knee hugged, the other thigh hanging stretches the hip flexors.
"""),
            lesson("Stretching the shoulders", ("compare", "Shoulder stretches: do and don't",
                   ("Do", ["Support the arm's weight", "Move slowly into abduction", "Stretch pectorals with the arm "
                           "off the table edge", "Stretch latissimus with the arm overhead"]),
                   ("Don't", ["Force the arm overhead and back at once", "Stretch a recently dislocated shoulder",
                              "Push through a pinch at the top of the shoulder"])),
                   "Two columns of do and don't for shoulder stretches",
                   """
The shoulder is the most mobile joint of the body and the least stable, so stretch it gently and
always with the arm's weight supported.

## Pectorals

With the client supine near the edge of the table, take the arm out to the side, elbow bent, and let
it lower slowly below the level of the table until the chest feels the stretch. A light contraction
toward the ceiling, then relaxation (MET), gains range.

## Latissimus dorsi

With the client supine, take the straight arm overhead. Side-bending the trunk away adds to the
stretch. Stop if the client feels a pinch at the top of the shoulder.

## Caution

Combining an arm overhead and back with outward rotation stresses the front of the joint. Avoid that
position entirely in a client who has dislocated the shoulder.

## Key points

- Support the arm's weight and move slowly.
- Pectorals: arm out to the side below the table edge; latissimus: arm overhead.
- No forced overhead-and-back positions, and none after a dislocation.
"""),
            lesson("Protecting your own back", ("compare", "Body mechanics for assisted stretching",
                   ("Do", ["Table at a height that lets you stand tall", "Lunge stance, weight through the legs",
                           "Use body weight, not arm strength", "Keep the limb close to you"]),
                   ("Don't", ["Bend and twist at once", "Lift a leg at arm's length", "Lock your knees",
                              "Hold your breath"])),
                   "Two columns of do and don't for the therapist's body mechanics during stretching",
                   """
Assisted stretching asks you to move heavy limbs many times a day. Your back lasts if your legs do the
work.

## Set-up

Set the table so that you can hold the limb without stooping. Stand in a lunge, one foot forward, and
move by shifting your weight between your feet.

## Moving a limb

Keep the limb close to your body; a leg held at arm's length multiplies the load on your back. Use your
body weight to take a limb into a stretch, leaning rather than pushing with the arms. For the
hamstring stretch, rest the client's ankle on your shoulder and step forward.

## Habits

Never bend and twist at the same time. Keep breathing, and soften your knees. Between clients, move
and stretch your own back.

## Key points

- Adjust the table height; stand in a lunge and shift your weight.
- Keep the limb close and lean rather than push.
- Never bend and twist at once.
"""),
        ]),
    ],
    questions=[
        question(1, "What is the barrier in assisted stretching?", "The first point of firm resistance",
                 "The point of pain", "The end of the table", "Full range of the other limb"),
        question(1, "How strong should an assisted stretch feel?", "About 5 out of 10, never pain",
                 "As strong as the client can bear", "No sensation at all", "Sharp, then numb"),
        question(2, "What is an isometric contraction?", "The muscle works but the joint does not move",
                 "The joint moves quickly", "The muscle relaxes fully", "The therapist contracts their muscle"),
        question(2, "How long does the client push in contract-relax PNF?", "About six seconds",
                 "One minute", "Half a second", "Until exhaustion"),
        question(3, "How strong are the contractions in muscle energy technique?", "About 10 to 20 percent of effort",
                 "Maximal effort", "90 percent of effort", "No contraction at all"),
        question(3, "What is reciprocal inhibition in MET?", "Contracting the opposite muscle to relax the target",
                 "Contracting the target muscle at full force", "Stretching both sides at once",
                 "Holding the breath"),
        question(4, "In the supine hamstring stretch, what happens to the other leg?", "It is held flat on the table",
                 "It is raised too", "It hangs off the table", "It is crossed over"),
        question(5, "Which shoulder position should be avoided in a client who has dislocated the shoulder?",
                 "Arm overhead and back with outward rotation", "Arm resting at the side",
                 "Arm supported on a pillow", "Elbow bent on the chest"),
        question(6, "How should you take a limb into a stretch?", "Lean with your body weight, limb close to you",
                 "Push with straight arms at arm's length", "Bend and twist", "Lock your knees"),
    ],
    checklist=["Contraindications checked: injury, instability, hypermobility", "Stretch at the barrier, about 5/10",
               "Static holds about 30 s", "PNF: moderate push about 6 s, relax, new barrier",
               "MET: light 10-20% contraction, 5-10 s, 3-5 repeats", "Limb supported and kept close",
               "Therapist in a lunge stance, no bending and twisting"],
    selfcare=[("Hamstrings", "Lying, strap round the foot, leg raised", "30 s, 3 times"),
              ("Hip flexors", "Half-kneeling lunge, pelvis tucked", "30 s per side"),
              ("Chest", "Doorway stretch", "30 s, 3 times"),
              ("Therapist's back", "Standing back bends between clients", "5 slow repeats")],
)
