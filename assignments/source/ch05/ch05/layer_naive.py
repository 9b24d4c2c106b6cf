"""Multiplication and addition layers on plain numbers (chapter 5.4, ``ch05/layer_naive.py``).

Run ``python layer_naive.py`` for the book's apple/orange shopping example (5.4.1, 5.4.2).
"""


class MulLayer:
    """Multiplication node; x, y are the inputs of the last forward."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """x, y: numbers or arrays → x·y; stores both (no type conversion)."""
        raise NotImplementedError("ch05.MulLayer.forward: store x and y in self.x, self.y; return x * y")

    def backward(self, dout):
        """dout: upstream derivative → (dx, dy) = (dout·y, dout·x) (the inputs swapped)."""
        raise NotImplementedError("ch05.MulLayer.backward: swap the inputs: return dout * self.y, dout * self.x")


class AddLayer:
    """Addition node; no state."""

    def __init__(self):
        pass

    def forward(self, x, y):
        """x, y: numbers or arrays → x + y."""
        raise NotImplementedError("ch05.AddLayer.forward: return x + y")

    def backward(self, dout):
        """dout: upstream derivative → (dout·1, dout·1), passed through unchanged."""
        raise NotImplementedError("ch05.AddLayer.backward: pass dout through to both inputs: return dout * 1, dout * 1")


if __name__ == "__main__":
    # buy_apple.py
    apple = 100
    apple_num = 2
    tax = 1.1

    mul_apple_layer = MulLayer()
    mul_tax_layer = MulLayer()

    # forward
    apple_price = mul_apple_layer.forward(apple, apple_num)
    price = mul_tax_layer.forward(apple_price, tax)

    # backward
    dprice = 1
    dapple_price, dtax = mul_tax_layer.backward(dprice)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)

    print("price:", int(price))
    print("dApple:", dapple)
    print("dApple_num:", int(dapple_num))
    print("dTax:", dtax)

    # buy_apple_orange.py
    apple = 100
    apple_num = 2
    orange = 150
    orange_num = 3
    tax = 1.1

    # layer
    mul_apple_layer = MulLayer()
    mul_orange_layer = MulLayer()
    add_apple_orange_layer = AddLayer()
    mul_tax_layer = MulLayer()

    # forward
    apple_price = mul_apple_layer.forward(apple, apple_num)  # (1)
    orange_price = mul_orange_layer.forward(orange, orange_num)  # (2)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)  # (3)
    price = mul_tax_layer.forward(all_price, tax)  # (4)

    # backward
    dprice = 1
    dall_price, dtax = mul_tax_layer.backward(dprice)  # (4)
    dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)  # (3)
    dorange, dorange_num = mul_orange_layer.backward(dorange_price)  # (2)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)  # (1)

    print("price:", int(price))
    print("dApple:", dapple)
    print("dApple_num:", int(dapple_num))
    print("dOrange:", dorange)
    print("dOrange_num:", int(dorange_num))
    print("dTax:", dtax)
