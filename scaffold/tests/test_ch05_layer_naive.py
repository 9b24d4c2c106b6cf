"""Chapter 5.4: the multiplication and addition layers (ch05/layer_naive.py).

The book's shopping examples: buy_apple.py (5.4.1) and buy_apple_orange.py (5.4.2).
Run: pytest -k apple
"""
from grader.judge import compare as check

LN = "ch05/layer_naive.py"


def pair(got, what):
    check.holds(isinstance(got, (tuple, list)) and len(got) == 2, what,
                "backward must return the two derivatives: return dx, dy")
    return got


def test_buy_apple(load):
    m = load(LN)
    apple, apple_num, tax = 100, 2, 1.1
    mul_apple_layer, mul_tax_layer = m.MulLayer(), m.MulLayer()

    apple_price = mul_apple_layer.forward(apple, apple_num)
    price = mul_tax_layer.forward(apple_price, tax)
    check.close_number(apple_price, 200, "MulLayer.forward(100, 2) (apple price)", tol=1e-12)
    check.close_number(price, 220, "price of 2 apples with tax (the book prints 220)", tol=1e-12)

    dapple_price, dtax = pair(mul_tax_layer.backward(1), "MulLayer.backward(1) of the tax node")
    dapple, dapple_num = pair(mul_apple_layer.backward(dapple_price), "MulLayer.backward of the apple node")
    check.close_number(dapple, 2.2, "dApple (the book prints 2.2)", tol=1e-12)
    check.close_number(dapple_num, 110, "dApple_num (the book prints 110)", tol=1e-12)
    check.close_number(dtax, 200, "dTax (the book prints 200)", tol=1e-12)


def test_buy_apple_orange(load):
    m = load(LN)
    apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
    mul_apple_layer, mul_orange_layer = m.MulLayer(), m.MulLayer()
    add_apple_orange_layer, mul_tax_layer = m.AddLayer(), m.MulLayer()

    apple_price = mul_apple_layer.forward(apple, apple_num)
    orange_price = mul_orange_layer.forward(orange, orange_num)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    price = mul_tax_layer.forward(all_price, tax)
    check.close_number(all_price, 650, "AddLayer.forward(200, 450) (apples + oranges)", tol=1e-12)
    check.close_number(price, 715, "price with tax (the book prints 715)", tol=1e-12)

    dall_price, dtax = pair(mul_tax_layer.backward(1), "MulLayer.backward(1) of the tax node")
    dapple_price, dorange_price = pair(add_apple_orange_layer.backward(dall_price), "AddLayer.backward")
    dorange, dorange_num = pair(mul_orange_layer.backward(dorange_price), "MulLayer.backward of the orange node")
    dapple, dapple_num = pair(mul_apple_layer.backward(dapple_price), "MulLayer.backward of the apple node")
    check.close_number(dapple_price, 1.1, "AddLayer.backward(1.1): derivative for the apple price", tol=1e-12)
    check.close_number(dorange_price, 1.1, "AddLayer.backward(1.1): derivative for the orange price", tol=1e-12)
    check.close_number(dapple, 2.2, "dApple (the book prints 2.2)", tol=1e-12)
    check.close_number(dapple_num, 110, "dApple_num (the book prints 110)", tol=1e-12)
    check.close_number(dorange, 3.3, "dOrange (the book prints 3.3000000000000003)", tol=1e-12)
    check.close_number(dorange_num, 165, "dOrange_num (the book prints 165)", tol=1e-12)
    check.close_number(dtax, 650, "dTax (the book prints 650)", tol=1e-12)
