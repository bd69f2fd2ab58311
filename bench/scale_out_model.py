#!/usr/bin/python3
"""A model of featpipe's stages at ImageNet scale on N ranks, from rates measured on one core of this
machine (bench_scale_out.sh) and the bytes each stage's ranks exchange (the formulas of
classify::step_bytes_sent and core/block_reduction.h's reduce-scatter). docs/scale-out.md gives the
assumptions; this script prints the tables.

    scale_out_model.py --extract-seconds S --extract-images N --extract-pixels P
                       --kmeans-seconds S --kmeans-rows N --kmeans-k K --kmeans-d D --kmeans-iterations I
                       --train-seconds S --train-rows N --train-dim D --train-classes C --train-epochs E
                       [--train-gflops G]
"""
import argparse
import math

IMAGES = 1_280_000          # ILSVRC 2012 training images
IMAGE_PIXELS = 256 * 256    # each resized to 256 x 256 before features (cost proportional to pixels)
CLASSES = 1000
EPOCHS = 5                  # Lin et al.: averaged SGD converged in about 5 epochs
DIMS = (4096, 65536)
RANKS = (8, 64, 512)
NETWORKS = {"10 Gbit/s": (10e9 / 8, 25e-6), "100 Gbit/s": (100e9 / 8, 3e-6)}  # bytes/s, latency per message
KMEANS_ROWS = 10_000_000    # descriptors in the vocabulary's sample (about 8 per image)
KMEANS_K, KMEANS_D, KMEANS_ITERATIONS, KMEANS_BLOCK = 1024, 128, 20, 4096
ROWS_PER_BLOCK = 128        # rows of a training step's block
MEMORY_BYTES_PER_SECOND = 10e9  # one core streaming the weights and the optimiser state in an update
STORE_BYTES_PER_SECOND = 5e9    # the shared file system's write rate, all ranks together


def share(count, rank, size):
    base, extra = divmod(count, size)
    begin = rank * base + min(rank, extra)
    return begin, begin + base + (1 if rank < extra else 0)


def exchange_seconds(sent, received, messages, network):
    bandwidth, latency = network
    return messages * latency + max(sent, received) / bandwidth


def fmt(seconds):
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def main():
    a = argparse.ArgumentParser()
    for name in ("extract-seconds", "kmeans-seconds", "train-seconds", "train-gflops"):
        a.add_argument("--" + name, type=float, default=None)
    for name in ("extract-images", "extract-pixels", "kmeans-rows", "kmeans-k", "kmeans-d", "kmeans-iterations",
                 "train-rows", "train-dim", "train-classes", "train-epochs"):
        a.add_argument("--" + name, type=int, required=True)
    o = a.parse_args()

    pixel_seconds = o.extract_seconds / (o.extract_images * o.extract_pixels)
    kmeans_flops = 2.0 * o.kmeans_rows * o.kmeans_k * o.kmeans_d * o.kmeans_iterations / o.kmeans_seconds
    narrow_flops = 4.0 * o.train_rows * o.train_dim * o.train_classes * o.train_epochs / o.train_seconds
    train_flops = o.train_gflops * 1e9 if o.train_gflops else narrow_flops
    print("Rates of one core of this machine (measured):")
    print(f"- extract (HOG): {1 / (pixel_seconds * o.extract_pixels):.0f} images of {o.extract_pixels} pixels per s,"
          f" so {1 / (pixel_seconds * IMAGE_PIXELS):.1f} images of {IMAGE_PIXELS} pixels per s")
    print(f"- k-means: {kmeans_flops / 1e9:.1f} GFLOP/s (2 n K d per Lloyd iteration)")
    print(f"- train: {narrow_flops / 1e9:.2f} GFLOP/s with {o.train_classes} classes (4 n D C per epoch, the whole"
          f" command)" + (f"; {train_flops / 1e9:.1f} GFLOP/s used for 1000 classes" if o.train_gflops else ""))
    print()

    print(f"Extract: {IMAGES} images of {IMAGE_PIXELS} pixels, HOG (no exchange but the row counts; the store"
          f" written at {STORE_BYTES_PER_SECOND / 1e9:.0f} GB/s in all)")
    print("| ranks | compute | write 4096-d | write 65536-d |")
    print("|---|---|---|---|")
    for n in RANKS:
        compute = IMAGES * IMAGE_PIXELS * pixel_seconds / n
        writes = [IMAGES * d * 4 / STORE_BYTES_PER_SECOND for d in DIMS]
        print(f"| {n} | {fmt(compute)} | {fmt(writes[0])} | {fmt(writes[1])} |")
    print()

    width = KMEANS_K * KMEANS_D + KMEANS_K + 1
    blocks = math.ceil(KMEANS_ROWS / KMEANS_BLOCK)
    print(f"Vocabulary: k-means of {KMEANS_ROWS} descriptors, K {KMEANS_K}, d {KMEANS_D}, {KMEANS_ITERATIONS}"
          f" iterations, blocks of {KMEANS_BLOCK} ({blocks} blocks); per iteration a rank sends its blocks'"
          f" records ({width} doubles each) but its slice, and receives its slice of every block's")
    print("| ranks | compute / iteration | bytes sent / iteration / rank | " +
          " | ".join(f"exchange {k} | total {k}" for k in NETWORKS) + " |")
    print("|---|---|---|" + "---|---|" * len(NETWORKS))
    for n in RANKS:
        compute = 2.0 * KMEANS_ROWS * KMEANS_K * KMEANS_D / (n * kmeans_flops)
        own = share(blocks, 0, n)[1]
        sl = share(width, 0, n)[1]
        sent = (own * (width - sl) + sl) * 8
        received = ((blocks - own) * sl + width - sl) * 8
        cells = []
        for network in NETWORKS.values():
            exchange = exchange_seconds(sent, received, 2 * (n - 1), network)
            cells += [fmt(exchange), fmt(KMEANS_ITERATIONS * (compute + exchange))]
        print(f"| {n} | {fmt(compute)} | {sent / 1e6:.1f} MB | " + " | ".join(cells) + " |")
    print()

    for d in DIMS:
        params = (d + 1) * CLASSES
        print(f"Training: {IMAGES} rows x {d} features, {CLASSES} classes, {EPOCHS} epochs, one block of"
              f" {ROWS_PER_BLOCK} rows per rank per step (batch {ROWS_PER_BLOCK} x ranks); {params * 4 / 1e6:.1f} MB"
              f" of gradient per block")
        print("| ranks | batch | steps / epoch | compute / step | update / step | bytes sent / step / rank | " +
              " | ".join(f"exchange {k} | {EPOCHS} epochs {k}" for k in NETWORKS) + " |")
        print("|---|---|---|---|---|---|" + "---|---|" * len(NETWORKS))
        for n in RANKS:
            batch = ROWS_PER_BLOCK * n
            steps = math.ceil(IMAGES / batch)
            compute = 4.0 * ROWS_PER_BLOCK * d * CLASSES / train_flops
            update = params * 4 * 5 / MEMORY_BYTES_PER_SECOND  # weights, gradient, two moments, written back
            sl = share(params, 0, n)[1]
            sent = 16 + (params - sl) * 4 + sl * 4
            received = 16 * (n - 1) + (n - 1) * sl * 4 + (params - sl) * 4
            cells = []
            for network in NETWORKS.values():
                exchange = exchange_seconds(sent, received, 3 * (n - 1), network)
                cells += [f"{exchange * 1e3:.0f} ms", fmt(EPOCHS * steps * (compute + update + exchange))]
            print(f"| {n} | {batch} | {steps} | {compute * 1e3:.0f} ms | {update * 1e3:.0f} ms | {sent / 1e6:.1f} MB | "
                  + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
