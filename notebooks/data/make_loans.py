"""Writes loans-train.csv and loans-test.csv: made-up loan applications, messy on purpose.

Nothing real: a seeded generator draws every value. The files look like an export from a
spreadsheet or a CRM: CRLF line ends, missing values spelt six ways (empty, NA, N/A, null,
NaN, ?), quoted text with commas and quotes inside, a categorical feature with a missing
level, and a text label. Rerun to regenerate them byte for byte:

    python3 notebooks/data/make_loans.py
"""

import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
MISSING = ["", "NA", "N/A", "null", "NaN", "?"]
HOMES = ["rent", "own", "mortgage"]
PURPOSES = ["car, used", "car, new", "debt consolidation", 'home "improvement"', "education", "medical"]


def row(generator):
    income = generator.lognormvariate(10.8, 0.45)
    age = generator.randint(19, 75)
    debt_ratio = min(0.95, max(0.0, generator.gauss(0.35, 0.15)))
    score = int(min(850, max(300, generator.gauss(680, 70))))
    home = generator.choice(HOMES)
    purpose = generator.choice(PURPOSES)
    logit = (-0.8 + 3.5 * (debt_ratio - 0.35) - 0.012 * (score - 680) - 0.6 * (math.log(income) - 10.8)
             + {"rent": 0.5, "own": -0.6, "mortgage": 0.0}[home] + (0.4 if purpose == "medical" else 0.0))
    label = "default" if generator.random() < 1 / (1 + math.exp(-logit)) else "repaid"
    cells = [f"{income:.2f}", str(age), f"{debt_ratio:.3f}", str(score), home, purpose]
    for index in range(len(cells)):
        if generator.random() < 0.06:
            cells[index] = generator.choice(MISSING)
    quoted = [f'"{c}"' if index == 5 and c not in MISSING else c for index, c in enumerate(cells)]
    quoted[5] = quoted[5].replace('"improvement"', '""improvement""')
    return ",".join(quoted + [label])


def write(name, rows, seed):
    generator = random.Random(seed)
    lines = ["income,age,debt_ratio,credit_score,home,purpose,outcome"]
    lines += [row(generator) for _ in range(rows)]
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


write("loans-train.csv", 1200, 11)
write("loans-test.csv", 400, 12)
