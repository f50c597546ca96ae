"""Demo content of the course "Soft Tissue Release for the Lower Limb"."""

from shop.courses.demo_lessons.spec import course, lesson, question

STR_LOWER_LIMB = course(
    modules=[
        ("Preparing the lower limb", [
            lesson("The muscles of the lower limb for STR", ("compare", "Shorten and stretch: the lower limb",
                   ("Muscle: shorten by", ["Hamstrings: bending the knee", "Quadriceps: straightening the knee",
                                           "Calf: pointing the ankle", "Tibialis anterior: lifting the foot"]),
                   ("Then stretch by", ["Straightening the knee", "Bending the knee", "Bringing the ankle up",
                                        "Pointing the foot"])),
                   "Two columns pairing each lower-limb muscle's shortening movement with its stretching movement",
                   """
STR for the lower limb starts from one question for each muscle: which movement shortens it, and which
lengthens it? Answer it from the joints the muscle crosses.

## The main groups

- **Hamstrings** cross the back of the hip and knee: bending the knee shortens them.
- **Quadriceps** cross the front of the knee (and rectus femoris the hip too): straightening the knee
  shortens them, bending it lengthens them.
- **Calf** (gastrocnemius and soleus) pulls the heel up: pointing the ankle shortens it.
- **Tibialis anterior** lifts the foot: lifting the foot shortens it, pointing the foot stretches it.

## Positioning

Prone suits the hamstrings and the calf, supine or side-lying the quadriceps and the shin. Support
the limb so the client can relax, and give yourself room to move the joint fully.

## Key points

- Work out each muscle's shortening and lengthening movement from the joints it crosses.
- The gastrocnemius crosses the knee and the soleus does not: bend the knee to favour the soleus.
- Position the client so the joint can move freely through its range.
"""),
            lesson("STR for the hamstrings", ("steps", "Active-assisted hamstring STR, seated",
                   ["Client sits, knee bent", "Lock above the knee's crease", "Client straightens the knee"]),
                   "Three steps of seated active-assisted STR for the hamstrings",
                   """
Runners, cyclists and office workers all bring tight hamstrings. STR lets you work the band that a
whole-muscle stretch misses.

## Prone, passive

Bend the client's knee to ninety degrees, lock with a soft fist or forearm just below the buttock, and
lower the leg slowly to straight. Work in lines toward the knee: the inner line for semitendinosus and
semimembranosus, the outer line for biceps femoris.

## Seated, active-assisted

With the client seated on the edge of the table and the knee bent, lock the back of the thigh with
your forearm, and ask the client to straighten the knee slowly. This is useful for clients who cannot
lie face down, and it shows them how to do the same with a ball on a hard chair.

## Key points

- Work two lines: inner hamstrings and outer hamstrings (biceps femoris).
- Stop the locks short of the hollow behind the knee.
- Seated active-assisted STR doubles as a home exercise with a ball.
"""),
        ]),
        ("Treating the runner's and walker's leg", [
            lesson("STR for the calves and the Achilles region", ("steps", "Calf STR, prone",
                   ["Ankle pointed", "Lock the upper calf", "Thigh pushes the foot up"]),
                   "Three steps of passive calf STR, the therapist's thigh bringing the client's foot up",
                   """
Calf tightness is common in runners and walkers, and in anyone who wears heels. STR treats the two
layers of the calf separately.

## Gastrocnemius

With the client prone and the feet over the end of the table, point the ankle, lock the upper calf
and bring the foot up toward the shin by leaning your thigh against the sole. Your hands stay free for
the lock and your wrists are spared.

## Soleus

Bend the knee to about ninety degrees: the gastrocnemius slackens and the stretch moves to the soleus
beneath it. Lock either side of the midline of the lower calf and bring the foot up with your hand.

## Near the Achilles tendon

Keep locks light where the muscle turns into tendon. Do not lock on a tendon that is thickened, warm
or painful to pinch: that suggests an irritated tendon, which needs load management, not pressure.

## Key points

- Knee straight works the gastrocnemius; knee bent shifts the work to the soleus.
- Use your thigh to move the foot and keep your hands for the lock.
- A thick, warm, painful Achilles tendon is not for STR: refer or advise rest from aggravating loads.
"""),
            lesson("STR for the quadriceps and the iliotibial band", ("compare", "The outer thigh: what releases",
                   ("Work here", ["Vastus lateralis, under and beside the band", "Tensor fasciae latae at the hip",
                                  "Gluteus maximus fibres into the band"]),
                   ("Expect little here", ["The iliotibial band itself: dense and hardly stretchable",
                                           "Firm locks on the band: painful, little gain"])),
                   "Two columns: the muscles of the outer thigh to work, and the iliotibial band that hardly stretches",
                   """
The quadriceps respond well to STR, and the outer thigh is where many clients say they feel tight.

## Quadriceps

With the client prone, lock the front of the thigh from the side with a soft fist, knee straight,
then bend the knee. Or work side-lying with the upper leg supported. Rectus femoris also crosses the
hip, so it stretches more when the hip is extended.

## The iliotibial band

The band is a thick sheet of connective tissue, not a muscle, and it barely lengthens. Hard locks on it
are painful and achieve little. Work the muscles that pull on it instead: tensor fasciae latae near the
front of the hip, gluteus maximus behind, and vastus lateralis, which lies under and beside the band.

## Key points

- Quadriceps: knee straight to shorten, lock, bend the knee to stretch.
- Rectus femoris stretches further with the hip extended.
- Treat the muscles attached to the iliotibial band rather than trying to stretch the band.
"""),
            lesson("Working around the knee and ankle", ("compare", "Around the knee and ankle",
                   ("Safe to work", ["Muscle bellies above and below the joint", "Tibialis anterior beside the shin",
                                     "Peroneals on the outer lower leg"]),
                   ("Avoid", ["The hollow behind the knee", "A swollen or hot joint",
                              "Pressure on the shin bone", "A recently sprained ligament"])),
                   "Two columns: areas near the knee and ankle that are safe to work and areas to avoid",
                   """
Joints are where the tissue is thinnest and the structures most exposed, so STR near the knee and
the ankle calls for lighter locks and a clear idea of what lies underneath.

## Around the knee

Work the muscle bellies above and below the joint rather than the joint itself. The hollow behind the
knee holds the popliteal artery and the tibial nerve: no locks there. A swollen, hot knee is not for
massage until it has been assessed.

## Around the ankle

Tibialis anterior, just beside the shin bone, responds well: lift the foot to shorten, lock beside the
bone (never on it), then point the foot. The peroneals on the outer lower leg are worked the same way
with the foot turned out, then in. After a sprain, wait until the acute phase (swelling, heat) has passed.

## Key points

- Lock muscle, never bone or the back of the knee.
- Tibialis anterior: lift the foot, lock beside the shin, point the foot.
- A hot, swollen joint or a fresh sprain waits for assessment and for the acute phase to pass.
"""),
            lesson("STR plans for runners and hikers", ("cycle", "A runner's STR plan over a week",
                   ["Hard training day", "Recovery day: light STR", "Maintenance session: full STR",
                    "Easy run and self-care"]),
                   "A weekly cycle: hard training, light STR on a recovery day, a full session, self-care",
                   """
Runners and hikers load the same muscles thousands of times a week. A plan puts STR where it helps
and keeps it away from where it gets in the way.

## Timing

- **Maintenance sessions** with full STR fit best on a rest or easy day, two or more days before a
  hard session or a race.
- **Close to a race**, keep STR light and short: strong work the day before can leave muscles tender.
- **After a long run or race**, wait a day or two before firm STR; gentle massage comes first.

## Teaching self-care

Show each client one or two active STR moves for their tightest area: a ball under the calf while
pointing and flexing the ankle, or sitting on a ball under the hamstrings while straightening the knee.
Two minutes a day, most days, keeps the gains of the session.

## Key points

- Give full STR on rest or easy days, not the day before a race.
- Wait a day or two after a long effort before firm work.
- One or two active STR moves as homework extend the session's effect.
"""),
        ]),
    ],
    questions=[
        question(1, "Which movement shortens the hamstrings?", "Bending the knee", "Straightening the knee",
                 "Pointing the ankle", "Lifting the foot toward the shin"),
        question(1, "Why does bending the knee shift calf STR onto the soleus?",
                 "The gastrocnemius crosses the knee and slackens, the soleus does not cross it",
                 "The soleus crosses the knee and the gastrocnemius does not",
                 "Bending the knee tightens the gastrocnemius", "The soleus is above the knee"),
        question(2, "Which area should hamstring locks stop short of?", "The hollow behind the knee",
                 "The buttock crease", "The middle of the thigh", "The outer line of biceps femoris"),
        question(3, "In prone calf STR, what moves the client's foot up toward the shin?",
                 "The therapist's thigh against the sole", "The client's other foot", "A strap pulled by the client",
                 "Gravity alone"),
        question(3, "An Achilles tendon is thickened, warm and painful to pinch. What is advised?",
                 "No STR on it: refer or manage the aggravating loads", "Firm locks on the tendon",
                 "STR twice as long as usual", "Stretch it hard before running"),
        question(4, "Why is firm STR on the iliotibial band itself of little use?",
                 "The band is dense connective tissue that barely lengthens", "The band is a small muscle",
                 "The band lies on the inner thigh", "It is always inflamed"),
        question(5, "Where should the lock go when treating tibialis anterior?", "Beside the shin bone, never on it",
                 "Directly on the shin bone", "Behind the knee", "On the sole of the foot"),
        question(6, "When does a runner's full STR maintenance session fit best?",
                 "On a rest or easy day, two or more days before a hard session",
                 "The evening before a race", "Straight after a marathon", "Only during a race"),
    ],
    checklist=["Shortening and lengthening movement worked out for each muscle",
               "Client positioned so the joint moves freely", "Hamstrings in two lines, stopping before the knee",
               "Calf with the knee straight, then bent for the soleus", "Muscles of the iliotibial band, not the band",
               "No locks on bone, the back of the knee or hot joints", "Session timed away from hard training days"],
    selfcare=[("Calf", "Ball under the calf, point and flex the ankle", "2 minutes, most days"),
              ("Hamstrings", "Sit on a ball, straighten the knee slowly", "5 repeats per spot"),
              ("Quadriceps", "Lie face down on a roller, bend the knee", "5 repeats per spot"),
              ("Shin", "Kneel with a ball beside the shin, point the foot", "5 repeats, after runs")],
)
