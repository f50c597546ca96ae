"""Demo content of the course "Sports Massage: Pre- and Post-Event Techniques"."""

from shop.courses.demo_lessons.spec import course, lesson, question

SPORTS_EVENTS = course(
    modules=[
        ("Before the event", [
            lesson("Sports massage across the athlete's season", ("cycle", "Sports massage through the season",
                   ["Maintenance: training weeks", "Pre-event: before competing", "Inter-event: between heats",
                    "Post-event: recovery"]),
                   "A cycle of four kinds of sports massage: maintenance, pre-event, inter-event and post-event",
                   """
Sports massage is not one treatment but several, each with its own aim and its own timing in the
athlete's season.

## Four kinds

- **Maintenance** massage during training weeks: the deepest work, to treat tight areas and find
  problems early. Give it well away from competition.
- **Pre-event** massage, shortly before competing: brief and stimulating, to prepare, not to treat.
- **Inter-event** massage between heats or rounds: very short, to ease and refresh.
- **Post-event** massage after competing: gentle, to help the athlete wind down and recover.

## Planning with the athlete

Ask about the competition calendar and their experience of massage. Never try a new technique on an
athlete just before a competition: they should know how their body will respond.

## Key points

- Maintenance, pre-event, inter-event and post-event massage have different aims.
- Deep work belongs to maintenance sessions, away from competition.
- Never introduce something new just before an event.
"""),
            lesson("Pre-event massage: the principles", ("compare", "Pre-event and post-event massage",
                   ("Pre-event", ["10-15 minutes", "Brisk, rhythmic, stimulating", "No deep or painful work",
                                  "Athlete fully dressed if they prefer"]),
                   ("Post-event", ["10-20 minutes, after cooling down", "Slow, gentle, flushing",
                                   "No deep work for a day or two", "Screen for injury first"])),
                   "Two columns comparing pre-event and post-event massage: timing, pace, pressure",
                   """
A pre-event massage prepares an athlete to perform. It should leave them feeling warm, loose and
alert, and it must not leave them sore.

## Timing and length

Give it in the hour or so before the event, for about 10 to 15 minutes, and agree the timing with the
athlete's own warm-up. It does not replace the warm-up.

## Techniques

Use brisk, rhythmic strokes: compression, jostling, quick effleurage and light friction on the muscles
the sport uses most. Keep the pace upbeat. Avoid deep work, trigger point pressure and long static
stretches, which can leave a muscle feeling heavy or tender at the start.

## Key points

- Pre-event: about 10 to 15 minutes, brisk and stimulating, in the hour or so before.
- No deep work, trigger point pressure or long static stretches.
- It complements the athlete's warm-up; it does not replace it.
"""),
            lesson("A pre-event routine for runners", ("steps", "A 12-minute pre-event routine",
                   ["Compression to the calves and thighs", "Jostling and shaking", "Brisk effleurage",
                    "Short active movements"]),
                   "Four steps of a pre-event routine: compression, jostling, brisk effleurage, active movements",
                   """
A worked example: a runner before a 10 km race, seated or lying on a table, dressed in race kit.

## The routine

1. **Compression** (4 minutes): rhythmic palm compression down the calves, hamstrings, quadriceps and
   gluteals, about one compression per second.
2. **Jostling** (2 minutes): shake the calves and thighs loosely to free them.
3. **Brisk effleurage** (4 minutes): quick strokes toward the heart over the legs, through clothing or
   with very little lubricant.
4. **Active movements** (2 minutes): ask the runner to bend and straighten the knee and ankle against
   light resistance, leaving them alert.

## Communication

Keep talking to a minimum and tone upbeat; some athletes like to chat, others want to focus. Ask
before you start whether they have any injuries or areas to avoid.

## Key points

- Compression, jostling, brisk effleurage and active movements: about 12 minutes.
- Work through clothing or with very little lubricant.
- Ask about injuries first and follow the athlete's lead on conversation.
"""),
        ]),
        ("After the event, and at the event", [
            lesson("Post-event recovery massage", ("scale", "Pressure after an event", "0: none", "10: deep",
                   [(2, "Light flushing"), (4, "Post-event maximum"), (8, "Maintenance depth: days later")]),
                   "A pressure scale: post-event massage stays light, around 2 to 4; deep work waits days",
                   """
After the event, the aim changes: help the athlete recover and calm down, and spot anything that
needs medical care.

## First, screen

Wait until the athlete has cooled down, had something to drink and can talk normally. Ask how they
feel and whether anything hurts. Confusion, hot dry skin, chest pain, or an athlete who is very cold
and shivering need the medical team, not massage.

## The massage

Use slow, gentle effleurage and light compression toward the heart, 10 to 20 minutes, over the
muscles that worked hardest. The pressure stays light: muscles are fatigued and may have small
injuries. Finish with gentle movements, not strong stretches.

## The next days

Muscle soreness often peaks one or two days after hard exercise. Deeper work waits until it has
settled, usually a few days later.

## Key points

- Screen first: confusion, chest pain, heat illness or hypothermia go to the medical team.
- Slow, light, flushing strokes for 10 to 20 minutes.
- Deep work waits a few days, until soreness settles.
"""),
            lesson("Triage at events: when not to massage", ("compare", "Massage or refer?",
                   ("Massage is fine", ["General tightness and fatigue", "Mild soreness", "Athlete alert and warm"]),
                   ("Refer to first aid / medical", ["Sudden sharp pain, swelling or bruising", "Suspected sprain or "
                    "strain", "Confusion, chest pain, heat illness", "Severe, persistent cramp"])),
                   "Two columns: cases where massage is fine at an event and cases to refer to the medical team",
                   """
At an event, the massage tent is often the first place an injured athlete goes. Knowing when not to
massage protects the athlete and you.

## Refer, do not massage

- A **sudden, sharp pain** during the event, swelling or bruising: a possible tear or sprain. Massage
  over a fresh injury can increase bleeding and swelling.
- **Heat illness**: confusion, hot skin, collapse; or **hypothermia**: shivering, slurred speech.
- **Chest pain**, breathlessness out of proportion, or fainting.
- A **cramp** that does not ease with gentle stretching and rest.

## What you can do

Send the athlete to the first-aid or medical team, stay with them if needed, and note what happened.
Massage the athlete's other tight areas only after they have been assessed.

## Key points

- Sudden sharp pain, swelling or bruising: no massage, refer.
- Heat illness, hypothermia and chest pain go to the medical team immediately.
- Record what you saw and what you did.
"""),
            lesson("Setting up and working at events", ("steps", "Setting up a massage area at an event",
                   ["Agree your role with the organisers", "Set up tables, shade, hygiene", "Register each athlete",
                    "Short sessions, clear queue"]),
                   "Four steps of setting up at an event: agree the role, set up, register athletes, short sessions",
                   """
Working at an event is as much about organisation as technique.

## Before the day

Agree with the organisers what your team will provide (pre-event, post-event or both), where you will
be, and how you will reach the medical team. Check your insurance covers event work.

## Setting up

You need sturdy tables, shade or shelter, hand sanitiser, towels, a waste bag and water. Keep the
area tidy and the route to the medical tent clear.

## Running the area

Register each athlete: name, event, any injuries or medical conditions, and consent. Keep sessions
short (10 to 15 minutes) so the queue moves, and make sure every therapist knows the triage rules
from the last lesson.

## Key points

- Agree your role and the link to the medical team before the day; check your insurance.
- Set up tables, shelter, hygiene supplies and a clear route to first aid.
- Register, screen and obtain consent for every athlete; keep sessions short.
"""),
        ]),
    ],
    questions=[
        question(1, "Which kind of sports massage is the deepest?", "Maintenance massage during training weeks",
                 "Pre-event massage", "Inter-event massage", "Post-event massage"),
        question(1, "Why should a new technique not be tried just before a competition?",
                 "The athlete should know how their body will respond", "New techniques are illegal",
                 "It is always painful", "The organisers forbid it"),
        question(2, "How long is a typical pre-event massage?", "About 10 to 15 minutes", "About 90 minutes",
                 "Under one minute", "Three hours"),
        question(2, "Which of these should be avoided in a pre-event massage?", "Deep trigger point pressure",
                 "Brisk effleurage", "Compression", "Jostling"),
        question(3, "In the pre-event routine, how is lubricant used?", "Very little, or work through clothing",
                 "Lots of oil for long strokes", "Only hot wax", "Talc on every area"),
        question(4, "After an event, an athlete is confused with hot, dry skin. What do you do?",
                 "Send them to the medical team, not massage", "Give a brisk massage", "Give deep work to the legs",
                 "Ask them to come back tomorrow"),
        question(4, "When can deeper work follow a hard event?", "A few days later, once soreness has settled",
                 "Immediately after finishing", "Within the first hour", "Only before the next event"),
        question(5, "An athlete felt a sudden sharp pain and the calf is swelling. What do you do?",
                 "No massage: refer to first aid or medical", "Massage the swelling away",
                 "Stretch it hard", "Apply deep friction"),
        question(6, "What should be agreed with the organisers before the day?",
                 "Your role and how to reach the medical team", "The race route", "The prize money",
                 "Nothing: just turn up"),
    ],
    checklist=["Athlete registered: injuries, conditions, consent", "Pre-event: 10-15 min, brisk, no deep work",
               "Post-event: cooled down and drinking first", "Post-event: slow, light, 10-20 min",
               "Triage rules: sharp pain, swelling, heat illness, chest pain", "Route to the medical team clear",
               "Session notes kept"],
    selfcare=[("After the event", "Cool down, drink, eat within an hour", "Every event"),
              ("Next day", "Easy walk or spin, gentle movement", "20-30 minutes"),
              ("Legs", "Foam roller, light pressure", "5 minutes, from day 2"),
              ("Sleep", "Regular, enough hours", "Nightly")],
)
