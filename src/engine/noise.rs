//! Seeded randomness, identical on every platform: additive Gaussian gradient noise, the
//! per-epoch shuffle of mini-batch sampling, and the draws that generate a learning task's
//! dataset ([`DataRng`]). One seed drives all three through separate ChaCha streams (0, 1, 2),
//! and a sweep's random configurations through a fourth (3, [`DataRng::search`]).
//!
//! ChaCha8 gives the same bits everywhere; Box–Muller is computed with libm (not `f64::ln` /
//! `f64::cos`, which call the platform's maths library and differ in the last bits between
//! native targets and wasm).

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// Gradient noise settings: standard deviation σ per coordinate (0 = off) and the seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct NoiseConfig {
    pub sigma: f64,
    pub seed: u64,
}

/// A stream of N(0, σ²) samples.
pub struct GaussianNoise {
    sigma: f64,
    rng: ChaCha8Rng,
    /// Box–Muller makes samples in pairs; the second waits here.
    spare: Option<f64>,
}

impl GaussianNoise {
    pub fn new(config: NoiseConfig) -> Self {
        GaussianNoise {
            sigma: config.sigma,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            spare: None,
        }
    }

    /// The next standard normal sample (σ not applied).
    pub fn standard(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // u1 in (0, 1] so that ln(u1) is finite; u2 in [0, 1).
        let u1 = ((self.rng.next_u64() >> 11) + 1) as f64 * TWO_POW_M53;
        let u2 = unit(&mut self.rng);
        let r = f64::sqrt(-2.0 * libm::log(u1));
        let (s, c) = libm::sincos(2.0 * std::f64::consts::PI * u2);
        self.spare = Some(r * s);
        r * c
    }

    /// Adds σ·N(0, 1) to each coordinate; draws nothing when σ = 0, so a noiseless run costs
    /// nothing.
    pub fn perturb(&mut self, g: &mut [f64]) {
        if self.sigma == 0.0 {
            return;
        }
        for gi in g {
            *gi += self.sigma * self.standard();
        }
    }
}

const TWO_POW_M53: f64 = 1.0 / (1u64 << 53) as f64;

/// A uniform sample in [0, 1) with 53 random bits.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * TWO_POW_M53
}

/// A uniform integer in `0..n` (n ≥ 1): rejects the top partial block of u64 so every residue
/// is equally likely.
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n + 1) % n;
    loop {
        let r = rng.next_u64();
        if r <= zone {
            return r % n;
        }
    }
}

/// Fisher–Yates from the top, drawing j uniformly from 0..=i.
fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// The draws that generate a learning task's dataset (inputs, label noise, the
/// train/validation split): ChaCha stream 2 of the scene's seed, so changing the batch size or
/// the gradient noise never changes the data.
pub struct DataRng {
    normal: GaussianNoise,
}

impl DataRng {
    pub fn new(seed: u64) -> Self {
        Self::on_stream(seed, 2)
    }

    /// The draws of a hyperparameter search's random configurations: stream 3, so a scene's
    /// data, batches and noise stay what they were.
    pub fn search(seed: u64) -> Self {
        Self::on_stream(seed, 3)
    }

    fn on_stream(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        DataRng {
            normal: GaussianNoise {
                sigma: 1.0,
                rng,
                spare: None,
            },
        }
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        unit(&mut self.normal.rng)
    }

    /// Standard normal.
    pub fn normal(&mut self) -> f64 {
        self.normal.standard()
    }

    /// A seeded permutation of `items`.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        shuffle(&mut self.normal.rng, items);
    }
}

/// Mini-batch settings: samples per batch and the seed of the per-epoch shuffle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MiniBatch {
    pub size: usize,
    pub seed: u64,
}

/// Which data points each stochastic-gradient step uses: like PyTorch's
/// `DataLoader(shuffle=True, drop_last=False)`, every epoch is a fresh seeded permutation of
/// `0..samples` cut into batches of `size` (the last one shorter when `size` does not divide
/// `samples`), so each epoch visits every sample exactly once.
///
/// The shuffle is Fisher–Yates over ChaCha8 with exact (rejection-sampled) bounded integers in
/// u64 arithmetic, so the order is the same on every platform, wasm32 included. Its ChaCha
/// stream is 1, not the 0 that [`GaussianNoise`] reads, so a scene that uses one seed for
/// both gets independent streams.
pub struct MiniBatches {
    order: Vec<usize>,
    size: usize,
    /// Where the next batch starts in `order`; `order.len()` once an epoch is used up.
    pos: usize,
    epoch: usize,
    rng: ChaCha8Rng,
}

impl MiniBatches {
    /// Batches of `config.size` from `samples` data points; an error names the valid sizes.
    pub fn new(samples: usize, config: MiniBatch) -> Result<Self, String> {
        if samples == 0 {
            return Err("a mini-batch needs data; this problem has 0 samples".into());
        }
        if config.size == 0 || config.size > samples {
            return Err(format!(
                "batch = {} is invalid; valid: 1 ≤ batch ≤ {samples} (the number of samples)",
                config.size
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        rng.set_stream(1);
        Ok(MiniBatches {
            order: (0..samples).collect(),
            size: config.size,
            pos: samples,
            epoch: 0,
            rng,
        })
    }

    /// The indices of the next batch; starts (and shuffles) a new epoch when the last one is
    /// used up.
    pub fn next_batch(&mut self) -> &[usize] {
        if self.pos == self.order.len() {
            shuffle(&mut self.rng, &mut self.order);
            self.pos = 0;
            self.epoch += 1;
        }
        let start = self.pos;
        self.pos = (start + self.size).min(self.order.len());
        &self.order[start..self.pos]
    }

    /// Epochs started so far (1 during the first).
    pub fn epoch(&self) -> usize {
        self.epoch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(seed: u64, n: usize) -> Vec<f64> {
        let mut g = GaussianNoise::new(NoiseConfig { sigma: 1.0, seed });
        (0..n).map(|_| g.standard()).collect()
    }

    #[test]
    fn mean_and_variance_are_standard() {
        let xs = stream(1, 100_000);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "variance {var}");
        let within_1 = xs.iter().filter(|x| x.abs() < 1.0).count() as f64 / n;
        assert!((within_1 - 0.6827).abs() < 0.01, "P(|z| < 1) = {within_1}");
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        assert_eq!(stream(7, 100), stream(7, 100));
        assert_ne!(stream(7, 100), stream(8, 100));
    }

    #[test]
    fn golden_values_for_seed_7() {
        // Recorded once; a change means a platform or dependency changed the stream.
        let golden = [
            0.9469823457667806,
            1.6721625656549695,
            -0.12193543996159865,
            -0.8284330348812721,
        ];
        assert_eq!(stream(7, 4), golden);
    }

    #[test]
    fn perturb_scales_by_sigma_and_skips_at_zero() {
        let mut g = [1.0, 2.0];
        GaussianNoise::new(NoiseConfig {
            sigma: 0.0,
            seed: 7,
        })
        .perturb(&mut g);
        assert_eq!(g, [1.0, 2.0]);
        let z = stream(7, 2);
        GaussianNoise::new(NoiseConfig {
            sigma: 0.5,
            seed: 7,
        })
        .perturb(&mut g);
        assert_eq!(g, [1.0 + 0.5 * z[0], 2.0 + 0.5 * z[1]]);
    }

    fn epochs(samples: usize, size: usize, seed: u64, n: usize) -> Vec<Vec<Vec<usize>>> {
        let mut b = MiniBatches::new(samples, MiniBatch { size, seed }).unwrap();
        let per_epoch = samples.div_ceil(size);
        (0..n)
            .map(|e| {
                (0..per_epoch)
                    .map(|_| {
                        let batch = b.next_batch().to_vec();
                        assert_eq!(b.epoch(), e + 1);
                        batch
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_epoch_visits_every_sample_exactly_once() {
        for (samples, size) in [(10, 3), (10, 10), (7, 1), (64, 8), (1, 1)] {
            for epoch in epochs(samples, size, 11, 5) {
                let sizes: Vec<usize> = epoch.iter().map(Vec::len).collect();
                let last = samples - size * (sizes.len() - 1);
                assert!(sizes[..sizes.len() - 1].iter().all(|&s| s == size));
                assert_eq!(sizes[sizes.len() - 1], last, "only the last batch is short");
                let mut seen: Vec<usize> = epoch.concat();
                seen.sort_unstable();
                assert_eq!(seen, (0..samples).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn epochs_are_reshuffled_and_the_seed_decides_the_order() {
        let a = epochs(20, 4, 3, 3);
        assert_eq!(a, epochs(20, 4, 3, 3));
        assert_ne!(a, epochs(20, 4, 4, 3));
        assert_ne!(a[0], a[1], "each epoch draws a new permutation");
        assert_ne!(
            a[0].concat(),
            (0..20).collect::<Vec<_>>(),
            "the first epoch is shuffled"
        );
    }

    #[test]
    fn shuffle_golden_order_for_seed_7() {
        // Recorded once; a change means the shuffle (or the RNG) changed, and with it every
        // stochastic run.
        let e = epochs(8, 8, 7, 1);
        assert_eq!(e[0][0], GOLDEN_SHUFFLE);
    }
    const GOLDEN_SHUFFLE: [usize; 8] = [0, 6, 3, 2, 5, 4, 1, 7];

    #[test]
    fn every_position_is_equally_likely() {
        // 4,000 epochs of 4 samples: each sample lands in each slot about 1,000 times.
        let mut b = MiniBatches::new(4, MiniBatch { size: 4, seed: 1 }).unwrap();
        let mut counts = [[0u32; 4]; 4];
        for _ in 0..4000 {
            for (slot, &i) in b.next_batch().iter().enumerate() {
                counts[i][slot] += 1;
            }
        }
        for row in counts {
            for c in row {
                assert!((880..=1120).contains(&c), "{counts:?}");
            }
        }
    }

    #[test]
    fn bad_sizes_are_refused_with_the_valid_range() {
        let e = MiniBatches::new(10, MiniBatch { size: 0, seed: 0 })
            .err()
            .unwrap();
        assert!(e.contains("1 ≤ batch ≤ 10"), "{e}");
        assert!(MiniBatches::new(10, MiniBatch { size: 11, seed: 0 }).is_err());
        assert!(MiniBatches::new(0, MiniBatch { size: 1, seed: 0 }).is_err());
    }
}
