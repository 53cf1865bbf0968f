"""The PyTorch bridge of a Jordan network (core/jordan.py): nn.Linear modules unrolled over the T
steps, float64, the output fed back:

    h_t = f(xh(x_t) + yh(y_(t-1))),  y_t = g(out(h_t)),  y_0 the input row's tail

(xh carries b_h, yh has no bias); truncated BPTT after k steps detaches y every k steps counted back
from the last, as the objects cut the links s_t → h_(t+1) (core/recurrent.carry)."""

from __future__ import annotations


def jordan_module(network, torch, names: tuple[list, list, list], module_for):
    """The torch module of an unrolled Jordan network; `names`: W_xh, W_yh, W_hy's names row by row."""
    architecture = network.architecture
    recurrent, output = architecture.layers
    n, hidden, m, steps = architecture.input[0], recurrent.size, output.size, architecture.steps
    value = network.parameters()
    f64 = torch.float64
    xh, yh, hy = names

    def rows(matrix):
        return torch.tensor([[value[name] for name in row] for row in matrix], dtype=f64)

    class Jordan(torch.nn.Module):
        def __init__(self):
            super().__init__()
            nn = torch.nn
            self.xh = nn.Linear(n, hidden, bias=recurrent.bias, dtype=f64)
            self.yh = nn.Linear(m, hidden, bias=False, dtype=f64)
            self.out = nn.Linear(hidden, m, bias=output.bias, dtype=f64)
            self.f, self.g = module_for(recurrent.activation, nn), module_for(output.activation, nn)
            with torch.no_grad():
                for linear, matrix in ((self.xh, xh), (self.yh, yh), (self.out, hy)):
                    linear.weight.copy_(rows(matrix))
                if recurrent.bias:
                    self.xh.bias.copy_(torch.tensor([value[f"b_h{k}"] for k in range(1, hidden + 1)], dtype=f64))
                if output.bias:
                    self.out.bias.copy_(torch.tensor([value[f"b_o{j}"] for j in range(1, m + 1)], dtype=f64))

        def forward(self, rows_in):
            y = rows_in[:, n * steps:]
            outputs = []
            for t in range(steps):
                if network.bptt and (steps - t) % network.bptt == 0:
                    y = y.detach()  # truncated BPTT: no dE/dy back through W_yh from here
                z = self.xh(rows_in[:, t * n:(t + 1) * n]) + self.yh(y)
                h = z if self.f is None else self.f(z)
                o = self.out(h)
                y = o if self.g is None else self.g(o)
                if not architecture.last_target_only or t == steps - 1:
                    outputs.append(y)
            return torch.cat(outputs, dim=1)

        def neurosim_gradients(self):
            grads = {}
            for matrix, linear in ((xh, self.xh), (yh, self.yh), (hy, self.out)):
                for row, values in zip(matrix, linear.weight.grad.tolist()):
                    grads.update(zip(row, values))
            if recurrent.bias:
                grads.update((f"b_h{k + 1}", v) for k, v in enumerate(self.xh.bias.grad.tolist()))
            if output.bias:
                grads.update((f"b_o{j + 1}", v) for j, v in enumerate(self.out.bias.grad.tolist()))
            return grads

    return Jordan()
