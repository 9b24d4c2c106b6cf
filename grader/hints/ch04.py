"""Hints for chapter 4 mistakes."""

HINTS = {
    # 4.2.1 squared error
    "hint.squared_error_half": "the book's squared error has a factor 0.5 in front: "
                               "0.5 * np.sum((y - t)**2) (4.2.1)",
    "hint.squared_error_mean": "the book's squared error is 0.5 * np.sum((y - t)**2): a sum, not a mean "
                               "over the elements (no np.mean, no / len(t)) (4.2.1)",
    "hint.squared_error_batch_mean": "the book's squared error is not divided by the batch size: "
                                     "0.5 * np.sum((y - t)**2) over the whole batch (4.2.1)",
    # 4.2.2 / 4.2.4 cross-entropy error
    "hint.cross_entropy_no_batch_mean": "the mini-batch cross-entropy error is an average: divide the "
                                        "sum by batch_size = y.shape[0] (4.2.4)",
    "hint.cross_entropy_no_delta": "add a tiny delta inside the log, np.log(y + 1e-7), so that y = 0 "
                                   "does not give log(0) = -inf (4.2.2)",
    "hint.cross_entropy_labels_times_t": "with class labels t there is nothing to multiply by t: "
                                         "-np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / "
                                         "batch_size (4.2.4)",
    # 4.3 / 4.4 numerical differentiation
    "hint.central_difference": "use the central difference (f(x + h) - f(x - h)) / (2 * h), not the "
                               "forward difference (f(x + h) - f(x)) / h (4.3.1)",
    "hint.numerical_diff_tiny_h": "h is so small that x + h == x in floating point (rounding error): "
                                  "the book uses h = 1e-4 (4.3.1)",
    "hint.numerical_gradient_1d_only": "x can have any shape (a weight matrix W is 2-D): loop over every "
                                       "element with it = np.nditer(x, flags=['multi_index'], "
                                       "op_flags=['readwrite']) and idx = it.multi_index (4.4, 4.4.2)",
    "hint.numerical_gradient_copy": "perturb x itself, not a copy: f usually ignores its argument and "
                                    "reads the very array x (lambda W: net.loss(x, t)), so a copy leaves "
                                    "f unchanged and the gradient is 0 (4.4.2)",
    "hint.numerical_gradient_not_restored": "save the element first (tmp_val = x[idx]) and put it back "
                                            "after the two evaluations (x[idx] = tmp_val); adding and "
                                            "subtracting h does not give the same number back (4.4)",
    # 4.4.1 gradient descent
    "hint.gradient_descent_sign": "gradient descent goes against the gradient: x -= lr * grad (4.4.1)",
    "hint.gradient_descent_steps": "take exactly step_num steps: for i in range(step_num) (4.4.1)",
    "hint.gradient_descent_not_updated": "x is never changed: each step must do x -= lr * grad with "
                                         "grad = numerical_gradient(f, x) (4.4.1)",
    "hint.gradient_descent_not_in_place": "update the array in place as the book does (x = init_x, then "
                                          "x -= lr * grad): x = x - lr * grad makes a new array and "
                                          "leaves init_x unchanged (4.4.1)",
    # 4.5.1 TwoLayerNet
    "hint.ch04_init_rand": "draw the weights with np.random.randn (standard normal, mean 0), not "
                           "np.random.rand (uniform on [0, 1)) (4.5.1)",
    "hint.ch04_init_std_ignored": "scale the weights by the weight_init_std argument, not by a fixed "
                                  "0.01 (4.5.1)",
    "hint.ch04_predict_scores": "predict returns probabilities: y = softmax(a2), not the scores a2 (4.5.1)",
    "hint.ch04_predict_sigmoid_output": "the output layer uses softmax, the hidden layer sigmoid: "
                                        "y = softmax(a2) (4.5.1)",
    "hint.ch04_loss_squared_error": "the two-layer net's loss is the cross-entropy error: "
                                    "cross_entropy_error(self.predict(x), t) (4.5.1)",
    "hint.ch04_net_numerical_gradient_copy": "pass the net's own arrays, numerical_gradient(loss_W, "
                                             "self.params['W1']): loss_W reads self.params, so a copy "
                                             "gives a gradient of 0 (4.5.1)",
    "hint.ch04_gradient_not_divided": "the loss is the batch average, so the backward pass starts from "
                                      "dy = (y - t) / batch_num (4.5.1)",
    "hint.ch04_gradient_sigmoid_grad_of_output": "sigmoid_grad takes the sigmoid's input: "
                                                 "dz1 = sigmoid_grad(a1) * da1, not sigmoid_grad(z1) (4.5.1)",
}
