//! Loads written in the spec: generators (ramp, step, spike, daily cycle,
//! noise) evaluated minute by minute into a [`Trace`].
//!
//! The values are the same on every machine: noise comes from SplitMix64
//! (a few lines, not worth a crate) and the daily cycle's cosine from a
//! fixed polynomial, with nothing but `+ - * /` on `f64`, which IEEE 754
//! rounds the same everywhere (`f64::cos` is the platform's libm and may
//! differ in the last bit).

use super::Trace;
use crate::model::scaling_test::Gen;

/// The trace the columns give over `minutes`. Values below zero are
/// clamped to zero, as a trace file can't hold them.
pub fn generate(minutes: usize, columns: &[(String, Gen)]) -> Trace {
    let mut t = Trace {
        start: 0,
        len: minutes,
        ..Trace::default()
    };
    for (name, g) in columns {
        let mut state = Noises::default();
        let values: Vec<f64> = (0..minutes)
            .map(|i| value(g, i, &mut state).max(0.0))
            .collect();
        match name.as_str() {
            "cpu" => t.cpu = Some(values),
            "requests" => t.requests = Some(values),
            "memory" => t.memory = Some(values),
            _ => t.response_time = Some(values),
        }
    }
    t
}

/// Each `noise(sd, seed)` of a column draws from its own stream, in the
/// order the generator is walked (the same every minute).
#[derive(Default)]
struct Noises {
    streams: Vec<(u64, u64)>,
    next: usize,
}

impl Noises {
    fn draw(&mut self, seed: u64) -> f64 {
        if self.next == self.streams.len() {
            self.streams.push((seed, seed));
        }
        let (_, s) = &mut self.streams[self.next];
        self.next += 1;
        // Three uniforms summed, centred and scaled: mean 0, deviation 1,
        // bounded to (-3, 3) so one minute never runs wild.
        let mut sum = 0.0;
        for _ in 0..3 {
            sum += unit(splitmix(s));
        }
        (sum - 1.5) * 2.0
    }
}

/// A column's value at minute `i`: the generator walked from its root, so
/// each `noise` takes the next draw of its own stream.
fn value(g: &Gen, i: usize, noise: &mut Noises) -> f64 {
    noise.next = 0;
    eval(g, i, noise)
}

fn eval(g: &Gen, i: usize, noise: &mut Noises) -> f64 {
    let t = i as f64;
    match g {
        Gen::Constant(v) => *v,
        Gen::Ramp {
            from,
            to,
            over,
            start,
        } => {
            if i <= *start {
                *from
            } else if i >= start + over {
                *to
            } else {
                from + (to - from) * ((i - start) as f64 / *over as f64)
            }
        }
        Gen::Step { before, after, at } => {
            if i < *at {
                *before
            } else {
                *after
            }
        }
        Gen::Spike {
            height,
            at,
            lasting,
        } => {
            if i >= *at && i < at + lasting {
                *height
            } else {
                0.0
            }
        }
        Gen::Daily { low, high, peak } => {
            let day = ((t - *peak as f64) / 1440.0).rem_euclid(1.0);
            low + (high - low) * (1.0 + cos_turn(day)) / 2.0
        }
        Gen::Weekly { weekday, weekend } => {
            if (i / 1440) % 7 >= 5 {
                *weekend
            } else {
                *weekday
            }
        }
        Gen::Decay {
            height,
            at,
            half_life,
        } => {
            if i < *at {
                0.0
            } else {
                height * half_to_the((i - at) as f64 / *half_life as f64)
            }
        }
        Gen::Noise { sd, seed } => sd * noise.draw(*seed),
        Gen::Add(a, b) => eval(a, i, noise) + eval(b, i, noise),
        Gen::Sub(a, b) => eval(a, i, noise) - eval(b, i, noise),
        Gen::Mul(a, b) => eval(a, i, noise) * eval(b, i, noise),
        Gen::Div(a, b) => {
            let d = eval(b, i, noise);
            let n = eval(a, i, noise);
            if d == 0.0 { 0.0 } else { n / d }
        }
    }
}

/// 2^-x for x >= 0, with `+ - * /` only: halvings for the whole part,
/// a Taylor series of e^(-f ln 2) for the fraction (within 1e-15).
fn half_to_the(x: f64) -> f64 {
    if x > 1100.0 {
        return 0.0;
    }
    let whole = x.floor();
    let y = -(x - whole) * std::f64::consts::LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..=20 {
        term = term * y / f64::from(k);
        sum += term;
    }
    let mut v = sum;
    let mut n = whole as u32;
    while n > 0 {
        v /= 2.0;
        n -= 1;
    }
    v
}

/// SplitMix64: the next value of the stream in `s`.
fn splitmix(s: &mut u64) -> u64 {
    *s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *s;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) from 53 random bits.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// cos(2π·turn) for a turn in [0, 1), from a Taylor polynomial on
/// [0, π/4] after folding by symmetry: within 1e-12 of the true value.
fn cos_turn(turn: f64) -> f64 {
    // Fold to [0, 0.5] (cos is even about a half turn), then to [0, 0.25]
    // with a sign, then to [0, 0.125] by cos(x) = sin(π/2 - x).
    let mut t = turn;
    if t > 0.5 {
        t = 1.0 - t;
    }
    let (t, sign) = if t > 0.25 { (0.5 - t, -1.0) } else { (t, 1.0) };
    let x = t * 2.0 * std::f64::consts::PI;
    let half = std::f64::consts::FRAC_PI_4;
    if x <= half {
        sign * cos_poly(x)
    } else {
        sign * sin_poly(std::f64::consts::FRAC_PI_2 - x)
    }
}

fn cos_poly(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=9 {
        let k = f64::from(k);
        term = -term * x2 / ((2.0 * k - 1.0) * (2.0 * k));
        sum += term;
    }
    sum
}

fn sin_poly(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for k in 1..=9 {
        let k = f64::from(k);
        term = -term * x2 / ((2.0 * k) * (2.0 * k + 1.0));
        sum += term;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cosine_is_within_a_billionth_of_libm() {
        for k in 0..10_000 {
            let turn = f64::from(k) / 10_000.0;
            let want = (turn * 2.0 * std::f64::consts::PI).cos();
            assert!((cos_turn(turn) - want).abs() < 1e-9, "turn {turn}");
        }
    }

    #[test]
    fn generators_give_their_documented_shapes() {
        let cols = vec![
            (
                "cpu".to_string(),
                Gen::Add(
                    Box::new(Gen::Ramp {
                        from: 100.0,
                        to: 200.0,
                        over: 10,
                        start: 5,
                    }),
                    Box::new(Gen::Spike {
                        height: 50.0,
                        at: 20,
                        lasting: 2,
                    }),
                ),
            ),
            (
                "requests".to_string(),
                Gen::Daily {
                    low: 10.0,
                    high: 30.0,
                    peak: 720,
                },
            ),
        ];
        let t = generate(1440, &cols);
        let cpu = t.cpu.unwrap_or_default();
        assert_eq!(
            (cpu[0], cpu[5], cpu[10], cpu[15], cpu[19]),
            (100.0, 100.0, 150.0, 200.0, 200.0)
        );
        assert_eq!((cpu[20], cpu[21], cpu[22]), (250.0, 250.0, 200.0));
        let r = t.requests.unwrap_or_default();
        assert!((r[720] - 30.0).abs() < 1e-9 && (r[0] - 10.0).abs() < 1e-9);
        assert!((r[360] - 20.0).abs() < 1e-9);
    }

    #[test]
    fn decay_halves_every_half_life_and_weekly_knows_the_weekend() {
        for k in 0..50 {
            let x = f64::from(k) * 0.37;
            assert!(
                (half_to_the(x) - (-x * std::f64::consts::LN_2).exp()).abs() < 1e-12,
                "{x}"
            );
        }
        let t = generate(
            8 * 1440,
            &[(
                "cpu".to_string(),
                Gen::Add(
                    Box::new(Gen::Decay {
                        height: 400.0,
                        at: 10,
                        half_life: 20,
                    }),
                    Box::new(Gen::Weekly {
                        weekday: 1.0,
                        weekend: 0.5,
                    }),
                ),
            )],
        );
        let cpu = t.cpu.unwrap_or_default();
        assert_eq!(cpu[9], 1.0);
        assert_eq!(cpu[10], 401.0);
        assert!((cpu[30] - 201.0).abs() < 1e-9 && (cpu[50] - 101.0).abs() < 1e-9);
        assert!((cpu[5 * 1440] - 0.5).abs() < 1e-9, "Saturday");
        assert!((cpu[7 * 1440] - 1.0).abs() < 1e-9, "Monday again");
    }

    #[test]
    fn noise_is_the_same_for_a_seed_and_differs_between_seeds() {
        let col = |seed| {
            vec![(
                "cpu".to_string(),
                Gen::Add(
                    Box::new(Gen::Constant(100.0)),
                    Box::new(Gen::Noise { sd: 10.0, seed }),
                ),
            )]
        };
        let a = generate(500, &col(7)).cpu.unwrap_or_default();
        let b = generate(500, &col(7)).cpu.unwrap_or_default();
        let c = generate(500, &col(8)).cpu.unwrap_or_default();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mean = a.iter().sum::<f64>() / 500.0;
        let sd = (a.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 500.0).sqrt();
        assert!((mean - 100.0).abs() < 2.0, "mean {mean}");
        assert!((sd - 10.0).abs() < 1.5, "sd {sd}");
        assert!(a.iter().all(|v| (70.0..130.0).contains(v)));
    }
}
