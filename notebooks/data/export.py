"""Export the datasets bundled with scikit-learn as the CSV files in this folder.

Run from anywhere:  python3 notebooks/data/export.py
Needs only scikit-learn (the bundled copies are read; nothing is downloaded).
The output is deterministic: the same scikit-learn data gives the same bytes.
"""

from pathlib import Path

from sklearn import datasets

HERE = Path(__file__).resolve().parent


def number(x):
    """Shortest text that reads back as the same float (Python's repr)."""
    return repr(float(x))


def write(name, header, rows):
    with open(HERE / name, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def iris():
    b = datasets.load_iris()
    header = ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]
    rows = ([number(v) for v in x] + [b.target_names[y]] for x, y in zip(b.data, b.target))
    write("iris.csv", header, rows)


def wine():
    b = datasets.load_wine()
    header = [n.replace("/", "_") for n in b.feature_names] + ["cultivar"]
    rows = ([number(v) for v in x] + [b.target_names[y]] for x, y in zip(b.data, b.target))
    write("wine.csv", header, rows)


def digits():
    b = datasets.load_digits()
    header = [f"pixel_{i}" for i in range(64)] + ["label"]
    rows = ([str(int(v)) for v in x] + [str(int(y))] for x, y in zip(b.data, b.target))
    write("digits.csv", header, rows)


def diabetes():
    b = datasets.load_diabetes()  # scaled features, as scikit-learn ships them
    header = list(b.feature_names) + ["progression"]
    # The target is a whole number stored as a float; write it as an integer.
    rows = ([number(v) for v in x] + [str(int(y))] for x, y in zip(b.data, b.target))
    assert all(y == int(y) for y in b.target)
    write("diabetes.csv", header, rows)


if __name__ == "__main__":
    iris()
    wine()
    digits()
    diabetes()
