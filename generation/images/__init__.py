"""Product images: Fashion-MNIST and photo-folder loaders, a class-conditional GAN, the DCGAN it is
measured against, the classifiers that measure both, and the promo cards built from the samples.

Every module is a plain synchronous library taking numpy arrays, paths and dataclasses; the training
loops, checkpoints and jobs that drive them live in `training/`.
"""
