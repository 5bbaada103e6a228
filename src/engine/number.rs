//! Decimal text to `f64`, correctly rounded: the same value `str::parse::<f64>` gives, without
//! core's Eisel–Lemire tables, which are 11 KB of incompressible data in a wasm bundle that has
//! a size budget. Every number the page and the CLI read (links, fields, formulas) goes through
//! [`parse`], so both read the same value.
//!
//! Inputs with at most 15 significant digits and a decimal exponent within ±22, which is
//! nearly everything a person types, take Clinger's fast path: both operands are exact doubles,
//! so one IEEE multiplication or division rounds correctly. The rest are rounded exactly with
//! big-integer arithmetic (a 64-bit quotient and a sticky remainder), which is slow but rare.

/// Significant digits kept: a halfway point between two doubles has at most 767, so a longer
/// input rounds like its first 768 digits followed by a 1 when anything non-zero was cut.
const MAX_DIGITS: usize = 768;

/// `[+-]digits[.digits][(e|E)[+-]digits]` (either side of the point may be empty, not both)
/// as the nearest `f64`, ties to even: ±∞ past the largest double, ±0 below the smallest.
/// `None` for anything else, including surrounding spaces and the words `inf` and `nan`.
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mut digits, mut exp10, rest) = mantissa(rest)?;
    let rest = match rest.split_first() {
        Some((b'e' | b'E', tail)) => {
            let (e, tail) = exponent(tail)?;
            exp10 = exp10.saturating_add(e);
            tail
        }
        _ => rest,
    };
    if !rest.is_empty() {
        return None;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 = exp10.saturating_add(1);
    }
    if digits.len() > MAX_DIGITS {
        let cut_non_zero = digits[MAX_DIGITS..].iter().any(|&d| d != 0);
        exp10 = exp10.saturating_add((digits.len() - MAX_DIGITS) as i64);
        digits.truncate(MAX_DIGITS);
        if cut_non_zero {
            digits.push(1);
            exp10 -= 1;
        }
    }
    let magnitude = magnitude(&digits, exp10);
    Some(if negative { -magnitude } else { magnitude })
}

/// The significant digits (no leading zeros) and the power of ten that scales them, and the
/// text after them; `None` without a single digit.
fn mantissa(bytes: &[u8]) -> Option<(Vec<u8>, i64, &[u8])> {
    let mut digits = Vec::new();
    let mut exp10 = 0i64;
    let (mut any, mut fraction) = (false, false);
    let mut i = 0;
    loop {
        match bytes.get(i) {
            Some(&b) if b.is_ascii_digit() => {
                let d = b - b'0';
                // Leading zeros are not significant; in the fraction they still move the point.
                if !(digits.is_empty() && d == 0) {
                    digits.push(d);
                }
                if fraction {
                    exp10 -= 1;
                }
                any = true;
            }
            Some(b'.') if !fraction => fraction = true,
            _ => break,
        }
        i += 1;
    }
    any.then_some((digits, exp10, &bytes[i..]))
}

/// A decimal exponent, saturated far beyond any double's range; `None` without digits.
fn exponent(bytes: &[u8]) -> Option<(i64, &[u8])> {
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let end = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if end == 0 {
        return None;
    }
    let e = rest[..end].iter().fold(0i64, |e, &d| {
        (e * 10 + i64::from(d - b'0')).min(1_000_000_000)
    });
    Some((if negative { -e } else { e }, &rest[end..]))
}

/// The double nearest to `digits × 10^exp10` (digits without leading or trailing zeros).
fn magnitude(digits: &[u8], exp10: i64) -> f64 {
    if digits.is_empty() {
        return 0.0;
    }
    // The value lies in [10^(top − 1), 10^top).
    let top = digits.len() as i64 + exp10;
    if top > 310 {
        return f64::INFINITY;
    }
    if top <= -324 {
        // Below 1e-324, under half the smallest subnormal (2.47e-324).
        return 0.0;
    }
    if digits.len() <= 15 && exp10.abs() <= 22 {
        let m = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d)) as f64;
        let p = POWERS[exp10.unsigned_abs() as usize];
        return if exp10 >= 0 { m * p } else { m / p };
    }
    exact(digits, exp10)
}

/// 10^0 … 10^22, every one an exact double.
const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The slow path: the value as a fraction n / m of big integers, scaled by 2^k so the quotient
/// has 64 or 65 bits, then rounded to the 53 (or, for subnormals, fewer) bits a double keeps.
fn exact(digits: &[u8], exp10: i64) -> f64 {
    let mut n = Big::from_digits(digits);
    let mut m = Big(vec![1]);
    if exp10 >= 0 {
        n.mul_pow10(exp10 as usize);
    } else {
        m.mul_pow10(exp10.unsigned_abs() as usize);
    }
    // n / m lies in (2^(d − 1), 2^(d + 1)); scaled by 2^(64 − d) it lies in (2^63, 2^65).
    let d = n.bits() as i64 - m.bits() as i64;
    let k = 64 - d;
    if k >= 0 {
        n.shl(k as usize);
    } else {
        m.shl(k.unsigned_abs() as usize);
    }
    let mut quotient = 0u128;
    for bit in (0..=65).rev() {
        let mut shifted = m.clone();
        shifted.shl(bit);
        if n.at_least(&shifted) {
            n.sub(&shifted);
            quotient |= 1u128 << bit;
        }
    }
    let sticky = !n.is_zero();
    let length = 128 - quotient.leading_zeros() as i64;
    // Exponent of the leading bit: value = quotient × 2^−k.
    let mut e2 = length - 1 - k;
    if e2 > 1023 {
        return f64::INFINITY;
    }
    // Bits the result keeps: 53, or fewer as a subnormal.
    let keep = if e2 >= -1022 { 53 } else { e2 + 1075 };
    if keep < 0 {
        return 0.0;
    }
    let drop = (length - keep) as u32;
    let mut mantissa = quotient >> drop;
    let rest = quotient & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    if rest > half || (rest == half && (sticky || mantissa & 1 == 1)) {
        mantissa += 1;
    }
    if e2 < -1022 {
        // Subnormal: the bits are the mantissa; rounding up into 2^52 gives the least normal.
        return f64::from_bits(mantissa as u64);
    }
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        e2 += 1;
        if e2 > 1023 {
            return f64::INFINITY;
        }
    }
    f64::from_bits((((e2 + 1023) as u64) << 52) | (mantissa as u64 & ((1 << 52) - 1)))
}

/// A non-negative big integer in base 2^32, least significant limb first, no high zero limbs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let value = chunk.iter().fold(0u32, |v, &d| v * 10 + u32::from(d));
            n.mul_add(10u32.pow(chunk.len() as u32), value);
        }
        n
    }

    /// self = self × factor + add.
    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut e: usize) {
        while e > 0 {
            let step = e.min(9);
            self.mul_add(10u32.pow(step as u32), 0);
            e -= step;
        }
    }

    fn bits(&self) -> usize {
        self.0
            .last()
            .map_or(0, |top| 32 * self.0.len() - top.leading_zeros() as usize)
    }

    fn shl(&mut self, bits: usize) {
        let (limbs, bits) = (bits / 32, bits % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn at_least(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() > other.0.len();
        }
        for (a, b) in self.0.iter().rev().zip(other.0.iter().rev()) {
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// self −= other, for self ≥ other.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (v, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (v, b2) = v.overflowing_sub(u32::from(borrow));
            *limb = v;
            borrow = b1 || b2;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}
