//! Seeded additive Gaussian gradient noise, identical on every platform.
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
        const TWO_POW_M53: f64 = 1.0 / (1u64 << 53) as f64;
        // u1 in (0, 1] so that ln(u1) is finite; u2 in [0, 1).
        let u1 = ((self.rng.next_u64() >> 11) + 1) as f64 * TWO_POW_M53;
        let u2 = (self.rng.next_u64() >> 11) as f64 * TWO_POW_M53;
        let r = libm::sqrt(-2.0 * libm::log(u1));
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
}
