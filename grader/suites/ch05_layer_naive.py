"""Hidden suite, chapter 5.4: the multiplication and addition layers (ch05/layer_naive.py).

Oracles are the book's apple / apple-and-orange shopping example (contract §15), exact to the
last bit (float64 products of the book's numbers); plus random arrays against numpy. backward is
tested on state written into the layer (``x``, ``y``), so a forward bug costs only forward.
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.messages import Failed, msg

LN = "ch05/layer_naive.py"


def layer(student, name):
    return getattr(student.module(LN), name)()


def pair(got, what):
    """backward returns the two derivatives (dx, dy)."""
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return got
    kind = f"{len(got)} values" if isinstance(got, (tuple, list)) else check.preview(got)
    raise Failed(msg("check.type", what=what, expected="a pair (dx, dy)", got=kind))


def is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def int_kept(value, what):
    check.holds(is_int(value), what, "int inputs must give an int (no type conversion: the book "
                "prints dTax: 200, 5.4.1)")


# ---- MulLayer.forward ------------------------------------------------------------------------

@points("ch05.MulLayer.forward", 2)
def test_mul_forward_apple_example(student):
    mul_apple = layer(student, "MulLayer")
    apple_price = mul_apple.forward(100, 2)
    check.equal(apple_price, 200, "MulLayer.forward(100, 2) (apple × number, 5.4.1)")
    int_kept(apple_price, "MulLayer.forward(100, 2)")
    check.equal(mul_apple.x, 100, "MulLayer.forward(100, 2): self.x")
    check.equal(mul_apple.y, 2, "MulLayer.forward(100, 2): self.y")
    mul_tax = layer(student, "MulLayer")
    # exact float64 products: 200 * 1.1 = 220.00000000000003, 650 * 1.1 = 715.0000000000001
    check.equal(mul_tax.forward(200, 1.1), 220.00000000000003, "MulLayer.forward(200, 1.1) (price with tax)")
    check.equal(mul_tax.y, 1.1, "MulLayer.forward(200, 1.1): self.y")
    check.equal(mul_tax.forward(650, 1.1), 715.0000000000001,
                "MulLayer.forward(650, 1.1) (apples and oranges with tax, 5.4.2), second call")
    check.equal(mul_tax.x, 650, "MulLayer.forward(650, 1.1), second call: self.x")


@points("ch05.MulLayer.forward", 2)
def test_mul_forward_arrays_and_state(student, rng):
    m = layer(student, "MulLayer")
    for shape in ((3, 4), (2, 5)):  # twice: the stored inputs follow the last call
        a, b = rng.normal(size=shape), rng.normal(size=shape)
        check.close(m.forward(a, b), a * b, f"MulLayer.forward(x, y) for arrays of shape {shape}", tol=1e-15)
        check.close(m.x, a, "MulLayer.forward(x, y): self.x", tol=0)
        check.close(m.y, b, "MulLayer.forward(x, y): self.y", tol=0)


# ---- MulLayer.backward -----------------------------------------------------------------------

@points("ch05.MulLayer.backward", 2)
def test_mul_backward_apple_example(student):
    # state as after the book's forward passes: tax node (200, 1.1), apple node (100, 2),
    # orange node (150, 3), tax node of 5.4.2 (650, 1.1)
    cases = [((200, 1.1), 1, (1.1, 200), "dapple_price, dtax"),
             ((100, 2), 1.1, (2.2, 110.00000000000001), "dapple, dapple_num"),
             ((150, 3), 1.1, (3.3000000000000003, 165.0), "dorange, dorange_num"),
             ((650, 1.1), 1, (1.1, 650), "dall_price, dtax")]
    for (x, y), dout, want, names in cases:
        m = layer(student, "MulLayer")
        m.x, m.y = x, y
        what = f"MulLayer.backward({dout}) after forward({x}, {y}) ({names})"
        got = pair(m.backward(dout), what)
        wrong = (dout * x, dout * y)
        for g, w, name in zip(got, want, ("dx", "dy")):
            try:
                check.equal(g, w, f"{what}: {name}")
            except Failed as f:
                hint = msg("hint.mul_not_swapped") if all(
                    np.array_equal(np.asarray(v), np.asarray(u)) for v, u in zip(got, wrong)) else None
                raise Failed(f.message, hint) from None
        if is_int(x) and dout == 1:
            int_kept(got[1], f"{what}: {names.split(', ')[1]}")


@points("ch05.MulLayer.backward", 2)
def test_mul_backward_arrays_twice(student, rng):
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    m = layer(student, "MulLayer")
    m.x, m.y = x, y
    for call in ("first", "second"):  # backward keeps no state of its own
        dout = rng.normal(size=(3, 4))
        got = pair(m.backward(dout), f"MulLayer.backward(dout), {call} call")
        check.close(got[0], dout * y, f"MulLayer.backward(dout), {call} call: dx", tol=1e-15,
                    hints={"hint.mul_not_swapped": dout * x})
        check.close(got[1], dout * x, f"MulLayer.backward(dout), {call} call: dy", tol=1e-15,
                    hints={"hint.mul_not_swapped": dout * y})


# ---- AddLayer.forward ------------------------------------------------------------------------

@points("ch05.AddLayer.forward", 1)
def test_add_forward_apple_orange(student):
    add = layer(student, "AddLayer")
    all_price = add.forward(200, 450)
    check.equal(all_price, 650, "AddLayer.forward(200, 450) (apple price + orange price, 5.4.2)")
    int_kept(all_price, "AddLayer.forward(200, 450)")
    check.equal(add.forward(220.00000000000003, 1.1), 221.10000000000002, "AddLayer.forward(220.00000000000003, 1.1)")


@points("ch05.AddLayer.forward", 2)
def test_add_forward_arrays(student, rng):
    add = layer(student, "AddLayer")
    for shape in ((3, 4), (5,)):
        a, b = rng.normal(size=shape), rng.normal(size=shape)
        check.close(add.forward(a, b), a + b, f"AddLayer.forward(x, y) for arrays of shape {shape}", tol=1e-15)


# ---- AddLayer.backward -----------------------------------------------------------------------

@points("ch05.AddLayer.backward", 1)
def test_add_backward_book(student):
    add = layer(student, "AddLayer")
    got = pair(add.backward(1.1), "AddLayer.backward(1.1) (dapple_price, dorange_price, 5.4.2)")
    for g, name in zip(got, ("dx", "dy")):
        check.close(g, 1.1, f"AddLayer.backward(1.1): {name}", tol=0, hints={"hint.add_ignores_dout": 1.0})
    got = pair(add.backward(1), "AddLayer.backward(1)")
    for g, name in zip(got, ("dx", "dy")):
        check.equal(g, 1, f"AddLayer.backward(1): {name}")
        int_kept(g, f"AddLayer.backward(1): {name}")


@points("ch05.AddLayer.backward", 2)
def test_add_backward_arrays(student, rng):
    add = layer(student, "AddLayer")  # no state: backward needs no forward first
    for call in ("first", "second"):
        dout = rng.normal(size=(3, 4))
        got = pair(add.backward(dout), f"AddLayer.backward(dout), {call} call")
        for g, name in zip(got, ("dx", "dy")):
            check.close(g, dout, f"AddLayer.backward(dout), {call} call: {name}", tol=0,
                        hints={"hint.add_ignores_dout": np.ones_like(dout)})
