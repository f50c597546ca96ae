"""Demo content of the course "Ethics for Massage Therapists"."""

from shop.courses.demo_lessons.spec import course, lesson, question

ETHICS = course(
    modules=[
        ("The therapeutic relationship", [
            lesson("Scope of practice", ("compare", "Inside and outside your scope",
                   ("Inside scope (typically)", ["Assess soft tissue for treatment", "Massage and stretching",
                                                 "General self-care advice", "Referral to other professionals"]),
                   ("Outside scope", ["Diagnosing a medical condition", "Prescribing or changing medication",
                                      "High-velocity joint manipulation", "Detailed diet or psychological therapy"])),
                   "Two columns: what is typically inside a massage therapist's scope and what is outside it",
                   """
Your scope of practice is what the law where you work allows a massage therapist to do. It is set by
your state's massage practice act and rules, so check the rules of every state where you hold a
licence: they differ.

## Typically inside

Assessing soft tissue to plan treatment, massage and related manual techniques, assisted stretching,
general advice on self-care such as stretches and posture, and referring clients to other
professionals.

## Typically outside

Diagnosing medical conditions, prescribing or advising on medication, high-velocity joint
manipulation (a chiropractic or osteopathic technique), and psychological therapy. You can say "this
feels like a tight muscle" but not "you have a herniated disc".

## When in doubt

Refer. A referral is a sign of professionalism, not of weakness, and protects both the client and you.

## Key points

- Scope of practice is set by the law of the state where you practise.
- Massage therapists do not diagnose, prescribe or manipulate joints.
- When a client needs care outside your scope, refer.
"""),
            lesson("Informed consent and draping", ("steps", "Informed consent, step by step",
                   ["Explain the treatment", "Name benefits and risks", "Offer alternatives", "Ask and record consent",
                    "Check in during treatment"]),
                   "Five steps of informed consent: explain, benefits and risks, alternatives, consent, check in",
                   """
Informed consent means the client agrees to treatment knowing what it involves. It is a process, not
a signature.

## Before treatment

Explain what you propose to do, where you will touch, what the client may feel, the likely benefits
and any risks (such as soreness the next day), and the alternatives. Ask whether the client agrees,
and record it. For a minor, a parent or guardian gives consent.

## During treatment

Consent can be withdrawn at any time, and it covers only what was explained. Before working a new or
sensitive area (the abdomen, the upper chest, the inner thigh, the gluteals), ask again.

## Draping

Only the area being worked is uncovered. The genitals, and the breasts of female clients, are never
uncovered. The client undresses and dresses in private, and can keep on any clothing they wish.

## Key points

- Explain the treatment, benefits, risks and alternatives, then ask and record consent.
- Consent can be withdrawn at any time; ask again before sensitive areas.
- Only the area being worked is undraped; genitals and breasts are always covered.
"""),
            lesson("Boundaries and dual relationships", ("compare", "Boundaries in practice",
                   ("Keep", ["Professional, warm communication", "Sessions on time and in the clinic",
                             "Personal details kept to yourself", "Fees and policies applied evenly"]),
                   ("Avoid", ["Dating or sexual contact with a client", "Treating close friends without clear rules",
                              "Business deals or loans with clients", "Sessions as therapy for your own problems"])),
                   "Two columns: professional boundaries to keep and dual relationships to avoid",
                   """
A boundary is the line between a professional relationship and a personal one. Because the client
is undressed, lying down and trusting you with their body, you hold more power in the room: keeping
the boundaries is always the therapist's responsibility.

## Dual relationships

A dual relationship exists when you have a second relationship with a client: friend, relative,
employee, business partner. Some are unavoidable in small towns; manage them with clear rules (same
fees, same records, same draping). A sexual or romantic relationship with a client is never
acceptable, and professional codes such as NCBTMB's forbid it.

## Transference

Clients may come to see the therapist as a friend, confidant or more. Respond with warmth and
professional limits, and do not use the relationship to meet your own needs.

## Key points

- The therapist is always responsible for keeping boundaries.
- Manage unavoidable dual relationships with clear rules; avoid the rest.
- A sexual or romantic relationship with a client is never acceptable.
"""),
        ]),
        ("Records and communication", [
            lesson("Records and confidentiality", ("steps", "A SOAP note", ["S: Subjective: what the client "
                   "reports", "O: Objective: what you observe", "A: Assessment: your findings", "P: Plan: next steps"]),
                   "Four boxes of a SOAP note: subjective, objective, assessment, plan",
                   """
Good records protect the client and you. They show what you did, why, and with what result.

## SOAP notes

- **Subjective**: what the client tells you (pain, history, goals).
- **Objective**: what you observe and measure (posture, range of movement, palpation findings).
- **Assessment**: what you make of it, within your scope, and how the client responded.
- **Plan**: what comes next: the next session, self-care given, any referral.

## Writing records

Write promptly after each session, factually, and legibly. Never erase: correct a mistake with a single
line through it, the correction, the date and your initials. Keep records for as long as your state's
rules require, and store them securely.

## Confidentiality

What a client tells you stays between you, unless the client consents in writing, the law requires
disclosure, or someone is in danger. If you bill health insurance electronically, you may be a covered
entity under HIPAA, with its privacy rules.

## Key points

- SOAP: Subjective, Objective, Assessment, Plan.
- Correct errors with a single line, dated and initialled; never erase.
- Keep records secure for as long as your state requires, and keep client information confidential.
"""),
            lesson("Social media and professional communication", ("compare", "Social media: do and don't",
                   ("Do", ["Keep a separate professional page", "Share general education and opening hours",
                           "Ask written consent for any testimonial or photo"]),
                   ("Don't", ["Post or discuss any identifiable client", "Give individual treatment advice online",
                              "Argue with a negative review in public", "Friend clients on your personal account"])),
                   "Two columns of do and don't for a massage therapist's use of social media",
                   """
Social media is where many clients find a therapist, and where a careless post can breach
confidentiality in seconds.

## Confidentiality online

Never post about a client in a way that could identify them, even without a name: the time of the
appointment, their job or a photo of their back can be enough. Photos or testimonials need the
client's written consent.

## Keeping it professional

Keep a professional page separate from your personal accounts. Share general education, not
individual advice: a stranger's "my shoulder hurts, what should I do?" gets an invitation to book or a
referral, never a diagnosis.

## Reviews

Thank clients for positive reviews. Reply to a negative one briefly and politely, without discussing
the client's treatment, and offer to talk privately.

## Key points

- Never post anything that could identify a client; get written consent for photos and testimonials.
- Keep professional and personal accounts separate; give no individual advice online.
- Answer negative reviews briefly, politely and without details.
"""),
        ]),
    ],
    questions=[
        question(1, "What sets a massage therapist's scope of practice?", "The law of the state where they practise",
                 "The client's wishes", "The therapist's personal preference", "The price of the session"),
        question(1, "Which of these is outside a massage therapist's scope?", "Diagnosing a herniated disc",
                 "Assessing soft tissue to plan treatment", "Giving general stretching advice",
                 "Referring a client to a doctor"),
        question(2, "When can a client withdraw consent?", "At any time, even during the session",
                 "Only before the session starts", "Never, once signed", "Only in writing"),
        question(2, "Which areas are never undraped?", "The genitals, and the breasts of female clients",
                 "The back", "The feet", "The forearms"),
        question(3, "Who is responsible for keeping professional boundaries?", "The therapist, always",
                 "The client", "Both equally", "The receptionist"),
        question(3, "A client asks the therapist out on a date. What is correct?",
                 "Decline: a romantic relationship with a client is never acceptable",
                 "Accept after the next session", "Accept if the client signs a form", "Accept if nobody knows"),
        question(4, "What does the 'O' in a SOAP note stand for?", "Objective: what you observe and measure",
                 "Opinion of the client", "Outcome of payment", "Other therapists' notes"),
        question(4, "How do you correct a mistake in a client record?",
                 "One line through it, the correction, the date and your initials", "Erase it completely",
                 "Use correction fluid", "Tear out the page"),
        question(5, "A former client posts a negative review. What is the right response?",
                 "A brief, polite reply without treatment details, offering to talk privately",
                 "A detailed reply describing their treatment", "Posting their appointment history",
                 "Asking friends to post negative reviews of them"),
    ],
    checklist=["Scope of practice of each licensing state checked", "Treatment, benefits, risks, alternatives "
               "explained", "Consent recorded; re-asked before sensitive areas", "Draping: only the worked area "
               "uncovered", "Dual relationships managed with clear rules", "SOAP note written after the session",
               "No identifiable client information online"],
    selfcare=[("Before the session", "Explain and ask consent", "Every client, every visit"),
              ("During the session", "Check in before new areas", "Every new area"),
              ("After the session", "Write the SOAP note", "Same day"),
              ("Each year", "Review your state's rules and your policies", "Yearly")],
)
