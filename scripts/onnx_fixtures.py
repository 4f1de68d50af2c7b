"""Reference ONNX files for test/onnx-import.test.ts, written by the ONNX project's own writer.

They mimic what PyTorch's exporter (Gemm with transB = 1, weights [out, in], raw_data) and tf2onnx
(MatMul + Add, weights [in, out], Identity at the end) produce, in float and double, with typed-field
and raw_data initializers, plus files this library must refuse. Every file passes onnx.checker.
The tests compare fromONNX's predictions with onnxruntime's on the same inputs.

Run with Debian's python3-onnx and python3-numpy (onnx 1.12, opsets up to 17):
    /usr/bin/python3 scripts/onnx_fixtures.py
Writes test/fixtures/onnx/*.onnx (a few KB in all).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx')
rng = np.random.default_rng(12)
IR = {11: 6, 13: 7, 15: 8, 16: 8, 17: 8}


def weights(shape, dtype):
    return rng.uniform(-1, 1, size=shape).astype(dtype)


def init(name, array, raw):
    """An initializer in raw_data (numpy_helper) or in float_data / double_data."""
    if raw:
        return numpy_helper.from_array(array, name)
    kind = TensorProto.FLOAT if array.dtype == np.float32 else TensorProto.DOUBLE
    return helper.make_tensor(name, kind, array.shape, array.flatten().tolist(), raw=False)


def save(name, nodes, inits, opset, elem, features, outputs, batch='batch_size', input_name='input', output_name='output'):
    graph = helper.make_graph(
        nodes, name.split('.')[0], [helper.make_tensor_value_info(input_name, elem, [batch, features])],
        [helper.make_tensor_value_info(output_name, elem, [batch, outputs])], inits)
    model = helper.make_model(graph, producer_name='onnx-fixtures', opset_imports=[helper.make_opsetid('', opset)])
    model.ir_version = IR[opset]
    onnx.checker.check_model(model)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(model.SerializeToString())


def torch_style():
    """PyTorch nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3), Softmax(-1)) as torch.onnx.export writes it."""
    f = np.float32
    inits = [init('0.weight', weights((8, 4), f), True), init('0.bias', weights(8, f), True),
             init('2.weight', weights((3, 8), f), True), init('2.bias', weights(3, f), True)]
    nodes = [
        helper.make_node('Gemm', ['input', '0.weight', '0.bias'], ['/0/Gemm_output_0'], '/0/Gemm', alpha=1.0, beta=1.0, transB=1),
        helper.make_node('Relu', ['/0/Gemm_output_0'], ['/1/Relu_output_0'], '/1/Relu'),
        helper.make_node('Gemm', ['/1/Relu_output_0', '2.weight', '2.bias'], ['/2/Gemm_output_0'], '/2/Gemm', alpha=1.0, beta=1.0, transB=1),
        helper.make_node('Softmax', ['/2/Gemm_output_0'], ['output'], '/3/Softmax', axis=1),
    ]
    save('torch_gemm_relu_softmax_opset11.onnx', nodes, inits, 11, TensorProto.FLOAT, 4, 3)


def tf2onnx_style():
    """Keras Dense(6, tanh) -> Dense(2, sigmoid) as tf2onnx writes it: MatMul + Add, typed float_data."""
    f = np.float32
    inits = [init('dense/MatMul/ReadVariableOp:0', weights((5, 6), f), False), init('dense/BiasAdd/ReadVariableOp:0', weights(6, f), False),
             init('dense_1/MatMul/ReadVariableOp:0', weights((6, 2), f), False), init('dense_1/BiasAdd/ReadVariableOp:0', weights(2, f), False)]
    nodes = [
        helper.make_node('MatMul', ['dense_input', 'dense/MatMul/ReadVariableOp:0'], ['dense/MatMul:0'], 'dense/MatMul'),
        helper.make_node('Add', ['dense/MatMul:0', 'dense/BiasAdd/ReadVariableOp:0'], ['dense/BiasAdd:0'], 'dense/BiasAdd'),
        helper.make_node('Tanh', ['dense/BiasAdd:0'], ['dense/Tanh:0'], 'dense/Tanh'),
        helper.make_node('MatMul', ['dense/Tanh:0', 'dense_1/MatMul/ReadVariableOp:0'], ['dense_1/MatMul:0'], 'dense_1/MatMul'),
        helper.make_node('Add', ['dense_1/BiasAdd/ReadVariableOp:0', 'dense_1/MatMul:0'], ['dense_1/BiasAdd:0'], 'dense_1/BiasAdd'),
        helper.make_node('Sigmoid', ['dense_1/BiasAdd:0'], ['dense_1/Sigmoid:0'], 'dense_1/Sigmoid'),
        helper.make_node('Identity', ['dense_1/Sigmoid:0'], ['dense_1'], 'Identity'),
    ]
    save('tf2onnx_matmul_add_opset13.onnx', nodes, inits, 13, TensorProto.FLOAT, 5, 2, batch='unk__12', input_name='dense_input', output_name='dense_1')


def double_typed():
    """Double, typed double_data: Flatten, Gemm (transB = 0, bias [1, out]), Tanh, Gemm without bias."""
    d = np.float64
    inits = [init('W0', weights((3, 7), d), False), init('b0', weights((1, 7), d), False), init('W1', weights((7, 2), d), False)]
    nodes = [
        helper.make_node('Flatten', ['x'], ['flat'], 'flatten', axis=1),
        helper.make_node('Gemm', ['flat', 'W0', 'b0'], ['h0'], 'gemm0'),
        helper.make_node('Tanh', ['h0'], ['a0'], 'tanh0'),
        helper.make_node('Gemm', ['a0', 'W1'], ['y'], 'gemm1'),
    ]
    save('double_typed_gemm_opset17.onnx', nodes, inits, 17, TensorProto.DOUBLE, 3, 2, batch='N', input_name='x', output_name='y')


def double_raw():
    """Double in raw_data, PyTorch layout: Gemm transB = 1, Relu, Gemm, Sigmoid."""
    d = np.float64
    inits = [init('fc1.weight', weights((5, 2), d), True), init('fc1.bias', weights(5, d), True),
             init('fc2.weight', weights((1, 5), d), True), init('fc2.bias', weights(1, d), True)]
    nodes = [
        helper.make_node('Gemm', ['input', 'fc1.weight', 'fc1.bias'], ['h'], '/fc1/Gemm', alpha=1.0, beta=1.0, transB=1),
        helper.make_node('Relu', ['h'], ['r'], '/act/Relu'),
        helper.make_node('Gemm', ['r', 'fc2.weight', 'fc2.bias'], ['z'], '/fc2/Gemm', alpha=1.0, beta=1.0, transB=1),
        helper.make_node('Sigmoid', ['z'], ['output'], '/out/Sigmoid'),
    ]
    save('double_raw_gemm_opset15.onnx', nodes, inits, 15, TensorProto.DOUBLE, 2, 1)


def leaky(name, alpha, op='LeakyRelu', gemm_alpha=1.0):
    """Float LeakyRelu between two Gemms; with other alphas or ops, files fromONNX must refuse."""
    f = np.float32
    inits = [init('l0.weight', weights((6, 4), f), True), init('l0.bias', weights(6, f), True),
             init('l1.weight', weights((3, 6), f), True), init('l1.bias', weights(3, f), True)]
    act = (helper.make_node('LeakyRelu', ['h'], ['a'], '/act/LeakyRelu', alpha=alpha) if op == 'LeakyRelu'
           else helper.make_node(op, ['h'], ['a'], f'/act/{op}'))
    nodes = [
        helper.make_node('Gemm', ['input', 'l0.weight', 'l0.bias'], ['h'], '/l0/Gemm', alpha=gemm_alpha, beta=1.0, transB=1),
        act,
        helper.make_node('Gemm', ['a', 'l1.weight', 'l1.bias'], ['z'], '/l1/Gemm', alpha=1.0, beta=1.0, transB=1),
        helper.make_node('Softmax', ['z'], ['output'], '/out/Softmax', axis=-1),
    ]
    save(name, nodes, inits, 16, TensorProto.FLOAT, 4, 3)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    torch_style()
    tf2onnx_style()
    double_typed()
    double_raw()
    leaky('leaky_relu_opset16.onnx', 0.01)
    leaky('refused_leaky_alpha_0.2.onnx', 0.2)
    leaky('elu_default_alpha_opset16.onnx', 0.01, op='Elu')
    leaky('refused_selu.onnx', 0.01, op='Selu')
    leaky('refused_gemm_alpha_0.5.onnx', 0.01, gemm_alpha=0.5)
    print('wrote', sorted(os.listdir(OUT)))
