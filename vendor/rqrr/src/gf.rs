//! PATCH(id-capture): GF(16) and GF(256) arithmetic from log/antilog tables
//! computed at compile time, replacing the `g2p` crate. g2p's macro emits a
//! full 256×256 multiplication table (64 KB of static data, ~60 KB more
//! gzipped wasm); these tables take 1 KB. Division by zero yields zero
//! instead of panicking (callers check for zero first).

use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// The operations rqrr's Reed–Solomon and BCH decoding need.
pub trait GaloisField:
    Add<Output = Self>
    + AddAssign
    + Sub<Output = Self>
    + SubAssign
    + Neg<Output = Self>
    + Mul<Output = Self>
    + MulAssign
    + Div<Output = Self>
    + DivAssign
    + Copy
    + PartialEq
    + Eq
{
    const ZERO: Self;
    const ONE: Self;
    const GENERATOR: Self;
    fn pow(self, p: usize) -> Self;
}

/// exp[i] = 2^i for i in 0..order (doubled, so exp[a + b] needs no modulo),
/// and log[exp[i]] = i.
const fn tables<const N: usize>(bits: u32, modulus: u16) -> ([u8; N], [u8; N]) {
    let order = (1usize << bits) - 1;
    let mut exp = [0u8; N];
    let mut log = [0u8; N];
    let mut value: u16 = 1;
    let mut i = 0;
    while i < order {
        exp[i] = value as u8;
        exp[i + order] = value as u8;
        log[value as usize] = i as u8;
        value <<= 1;
        if value & (1 << bits) != 0 {
            value ^= modulus;
        }
        i += 1;
    }
    (exp, log)
}

macro_rules! field {
    ($name:ident, $bits:expr, $modulus:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub u8);

        impl $name {
            const ORDER: usize = (1 << $bits) - 1;
            const TABLES: ([u8; 2 * 256], [u8; 2 * 256]) = tables::<512>($bits, $modulus);
            fn log(self) -> usize {
                Self::TABLES.1.get(self.0 as usize).copied().unwrap_or(0) as usize
            }
            fn exp(i: usize) -> Self {
                $name(Self::TABLES.0.get(i % Self::ORDER).copied().unwrap_or(0))
            }
        }

        impl GaloisField for $name {
            const ZERO: Self = $name(0);
            const ONE: Self = $name(1);
            const GENERATOR: Self = $name(2);
            fn pow(self, p: usize) -> Self {
                if p == 0 {
                    return Self::ONE;
                }
                if self.0 == 0 {
                    return Self::ZERO;
                }
                Self::exp((self.log() * (p % Self::ORDER)) % Self::ORDER)
            }
        }

        impl Add for $name {
            type Output = Self;
            fn add(self, other: Self) -> Self {
                $name(self.0 ^ other.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, other: Self) {
                self.0 ^= other.0;
            }
        }
        impl Sub for $name {
            type Output = Self;
            fn sub(self, other: Self) -> Self {
                $name(self.0 ^ other.0)
            }
        }
        impl SubAssign for $name {
            fn sub_assign(&mut self, other: Self) {
                self.0 ^= other.0;
            }
        }
        impl Neg for $name {
            type Output = Self;
            fn neg(self) -> Self {
                self
            }
        }
        impl Mul for $name {
            type Output = Self;
            fn mul(self, other: Self) -> Self {
                if self.0 == 0 || other.0 == 0 {
                    return Self::ZERO;
                }
                Self::exp(self.log() + other.log())
            }
        }
        impl MulAssign for $name {
            fn mul_assign(&mut self, other: Self) {
                *self = *self * other;
            }
        }
        impl Div for $name {
            type Output = Self;
            fn div(self, other: Self) -> Self {
                if self.0 == 0 || other.0 == 0 {
                    return Self::ZERO;
                }
                Self::exp(self.log() + Self::ORDER - other.log())
            }
        }
        impl DivAssign for $name {
            fn div_assign(&mut self, other: Self) {
                *self = *self / other;
            }
        }
    };
}

field!(GF16, 4, 0b1_0011);
field!(GF256, 8, 0b1_0001_1101);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_cycles_through_all_nonzero_elements() {
        let mut seen = [false; 256];
        for i in 0..255 {
            seen[GF256::GENERATOR.pow(i).0 as usize] = true;
        }
        assert_eq!(seen.iter().filter(|s| **s).count(), 255);
        assert_eq!(GF16::GENERATOR.pow(15), GF16::ONE);
    }

    #[test]
    fn division_inverts_multiplication() {
        for a in 1..=255u8 {
            for b in [1u8, 2, 3, 29, 200, 255] {
                assert_eq!((GF256(a) * GF256(b)) / GF256(b), GF256(a));
            }
        }
        // x^8 reduces by the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
        assert_eq!(GF256(2).pow(8), GF256(0x1D));
    }
}
