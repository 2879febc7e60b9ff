//! Which exponential bucket a value falls in, and where each bucket ends.
//!
//! Bucket `i` of schema `s` covers `(base^(i-1), base^i]` with `base = 2^(2^-s)`. Each power
//! of two is split into `2^s` buckets for `s > 0`; for `s <= 0` one bucket spans `2^-s`
//! powers of two. Bucket bounds inside an octave are the `f64` values of `2^(k/2^s)` rounded
//! to nearest (the same constants the Prometheus server uses), so a value equal to a printed
//! bound counts in the bucket that bound closes.
//!
//! The index is computed from the bits of the value: the exponent gives the octave and, for
//! `s > 0`, a table lookup on the top fraction bits and one integer comparison give the
//! bucket inside it. Subnormal values are normalised first, so `5e-324` has an index like any
//! other value. Infinities take the bucket after the one holding `f64::MAX`, as client_golang
//! does; NaN has no bucket (the caller decides, see [`NativeHistogram`](super::NativeHistogram)).

/// The finest schema: 256 buckets per power of two.
pub const MAX_SCHEMA: i8 = 8;
/// The coarsest schema: one bucket per 2^16.
pub const MIN_SCHEMA: i8 = -4;

/// `2^(k/256)` for `k` in `0..256`, each the nearest `f64`. Schema `s` uses every
/// `2^(8-s)`-th entry: `2^(j/2^s) = 2^((j * 2^(8-s))/256)`.
const OCTAVE_BOUNDS: [f64; 256] = [
    1.0,
    1.0027112750502025,
    1.0054299011128027,
    1.0081558981184175,
    1.0108892860517005,
    1.0136300849514894,
    1.016378314910953,
    1.019133996077738,
    1.0218971486541166,
    1.0246677928971357,
    1.0274459491187637,
    1.030231637686041,
    1.0330248790212284,
    1.0358256936019572,
    1.0386341019613787,
    1.041450124688316,
    1.0442737824274138,
    1.0471050958792898,
    1.0499440858006872,
    1.0527907730046264,
    1.0556451783605572,
    1.0585073227945128,
    1.061377227289262,
    1.0642549128844645,
    1.0671404006768237,
    1.0700337118202419,
    1.0729348675259756,
    1.075843889062791,
    1.0787607977571199,
    1.0816856149932152,
    1.0846183622133092,
    1.0875590609177697,
    1.0905077326652577,
    1.0934643990728858,
    1.0964290818163769,
    1.099401802630222,
    1.102382583307841,
    1.1053714457017412,
    1.1083684117236787,
    1.1113735033448175,
    1.1143867425958924,
    1.1174081515673693,
    1.1204377524096067,
    1.12347556733302,
    1.1265216186082418,
    1.129575928566288,
    1.1326385195987192,
    1.1357094141578055,
    1.1387886347566916,
    1.1418762039695616,
    1.1449721444318042,
    1.148076478840179,
    1.1511892299529827,
    1.154310420590216,
    1.1574400736337511,
    1.1605782120274988,
    1.1637248587775775,
    1.1668800369524817,
    1.1700437696832502,
    1.1732160801636373,
    1.1763969916502812,
    1.1795865274628758,
    1.182784710984341,
    1.1859915656609938,
    1.189207115002721,
    1.1924313825831512,
    1.1956643920398273,
    1.1989061670743806,
    1.202156731452703,
    1.2054161090051239,
    1.2086843236265816,
    1.2119613992768012,
    1.215247359980469,
    1.2185422298274085,
    1.2218460329727576,
    1.2251587936371455,
    1.22848053610687,
    1.2318112847340759,
    1.2351510639369334,
    1.2384998981998165,
    1.241857812073484,
    1.245224830175258,
    1.2486009771892048,
    1.2519862778663162,
    1.255380757024691,
    1.2587844395497165,
    1.2621973503942507,
    1.2656195145788063,
    1.2690509571917332,
    1.2724917033894028,
    1.275941778396392,
    1.2794012075056693,
    1.2828700160787783,
    1.2863482295460256,
    1.2898358734066657,
    1.2933329732290895,
    1.2968395546510096,
    1.3003556433796506,
    1.3038812651919358,
    1.3074164459346773,
    1.3109612115247644,
    1.3145155879493546,
    1.318079601266064,
    1.3216532776031575,
    1.3252366431597413,
    1.3288297242059544,
    1.3324325470831615,
    1.3360451382041458,
    1.339667524053303,
    1.3432997311868353,
    1.3469417862329458,
    1.3505937158920345,
    1.3542555469368927,
    1.3579273062129011,
    1.3616090206382248,
    1.365300717204012,
    1.3690024229745905,
    1.3727141650876684,
    1.3764359707545302,
    1.380167867260238,
    1.383909881963832,
    1.387662042298529,
    1.3914243757719262,
    1.3951969099662003,
    1.3989796725383112,
    1.4027726912202048,
    1.4065759938190154,
    1.4103896082172707,
    std::f64::consts::SQRT_2,
    1.4180478843204152,
    1.4218926021691656,
    1.4257477441054942,
    1.42961333839197,
    1.433489413367789,
    1.4373759974489824,
    1.4412731191286257,
    1.4451808069770467,
    1.449099089642035,
    1.4530279958490526,
    1.4569675544014438,
    1.460917794180647,
    1.4648787441464057,
    1.4688504333369818,
    1.4728328908693675,
    1.4768261459394993,
    1.4808302278224719,
    1.4848451658727524,
    1.488870989524397,
    1.4929077282912648,
    1.4969554117672355,
    1.5010140696264256,
    1.5050837316234065,
    1.5091644275934228,
    1.5132561874526098,
    1.5173590411982147,
    1.5214730189088146,
    1.5255981507445384,
    1.529734466947287,
    1.533881997840956,
    1.5380407738316568,
    1.5422108254079407,
    1.5463921831410214,
    1.550584877685,
    1.5547889397770887,
    1.559004400237837,
    1.5632312899713576,
    1.567469639965553,
    1.5717194812923414,
    1.5759808451078865,
    1.5802537626528246,
    1.5845382652524937,
    1.588834384317164,
    1.593142151342267,
    1.597461597908627,
    1.6017927556826934,
    1.606135656416771,
    1.6104903319492543,
    1.6148568142048607,
    1.6192351351948637,
    1.6236253270173289,
    1.6280274218573478,
    1.632441451987275,
    1.6368674497669644,
    1.6413054476440063,
    1.645755478153965,
    1.6502175739206177,
    1.6546917676561943,
    1.6591780921616162,
    1.6636765803267364,
    1.6681872651305825,
    1.6727101796415966,
    1.6772453570178785,
    1.681792830507429,
    1.6863526334483934,
    1.6909247992693053,
    1.6955093614893326,
    1.7001063537185235,
    1.7047158096580513,
    1.709337763100463,
    1.713972247929926,
    1.718619298122478,
    1.723278947746274,
    1.7279512309618377,
    1.732636182022311,
    1.7373338352737062,
    1.7420442251551564,
    1.746767386199169,
    1.7515033530318782,
    1.7562521603732995,
    1.761013843037584,
    1.7657884359332727,
    1.7705759740635547,
    1.7753764925265212,
    1.7801900265154245,
    1.785016611318935,
    1.789856282321401,
    1.7947090750031072,
    1.7995750249405351,
    1.804454167806624,
    1.809346539371032,
    1.8142521755003989,
    1.8191711121586085,
    1.8241033854070534,
    1.8290490314048973,
    1.8340080864093424,
    1.8389805867758937,
    1.843966568958626,
    1.8489660695104508,
    1.8539791250833855,
    1.8590057724288205,
    1.864046048397789,
    1.8690999899412386,
    1.8741676341103,
    1.8792490180565602,
    1.8843441790323345,
    1.8894531543909392,
    1.8945759815869656,
    1.8997126981765553,
    1.9048633418176741,
    1.9100279502703899,
    1.9152065613971474,
    1.9203992131630474,
    1.925605943636125,
    1.930826790987627,
    1.9360617934922943,
    1.9413109895286405,
    1.9465744175792332,
    1.9518521162309783,
    1.9571441241754002,
    1.9624504802089273,
    1.9677712232331759,
    1.9731063922552343,
    1.978456026387951,
    1.9838201648502194,
    1.9891988469672663,
    1.9945921121709402,
];

const MANTISSA_BITS: u32 = 52;
const MANTISSA_MASK: u64 = (1 << MANTISSA_BITS) - 1;

/// The 52 fraction bits of each octave bound (all in `[1, 2)`, so the exponent is the same
/// and comparing fractions as integers compares the values), then a sentinel above every
/// fraction: bound `2^s` of schema `s` is entry 256 for every schema.
const OCTAVE_FRACTIONS: [u64; 257] = {
    let mut fractions = [u64::MAX; 257];
    let mut k = 0;
    while k < 256 {
        fractions[k] = OCTAVE_BOUNDS[k].to_bits() & MANTISSA_MASK;
        k += 1;
    }
    fractions
};

/// Where schema `s`'s cells start in [`CELL_BASE`].
const fn cell_offset(schema: i8) -> usize {
    (1 << (schema + 1)) - 4
}

/// For schema `s > 0`, the top `s + 1` fraction bits cut an octave into `2^(s+1)` cells, each
/// narrower than the narrowest bucket (`0.5 / 2^s` against `ln 2 / 2^s`), so a cell holds at
/// most one bound. Entry `c` counts the bounds below cell `c`'s start; one comparison with
/// the next bound then gives a value's bucket inside the octave.
const CELL_BASE: [u16; 1020] = {
    let mut base = [0u16; 1020];
    let mut schema: i8 = 1;
    while schema <= MAX_SCHEMA {
        let stride = (MAX_SCHEMA - schema) as u32;
        let cells = 1usize << (schema + 1);
        let mut cell = 0;
        while cell < cells {
            let start = (cell as u64) << (51 - schema as u32);
            let mut below = 0usize;
            while below < (1 << schema) && OCTAVE_FRACTIONS[below << stride] < start {
                below += 1;
            }
            base[cell_offset(schema) + cell] = below as u16;
            cell += 1;
        }
        schema += 1;
    }
    base
};

/// `value = (1 + fraction / 2^52) * 2^exponent` for a finite, non-zero `value` (subnormals
/// normalised). Returns `(exponent, fraction)`.
#[inline]
fn decompose(magnitude: f64) -> (i32, u64) {
    let bits = magnitude.to_bits();
    let biased = ((bits >> MANTISSA_BITS) & 0x7ff) as i32;
    let fraction = bits & MANTISSA_MASK;
    if biased != 0 {
        return (biased - 1023, fraction);
    }
    // Subnormal: the value is fraction * 2^-1074, its leading one at bit `top`. Shifting that
    // bit into the hidden-bit position (52) leaves the normalised fraction below it.
    let top = 63 - fraction.leading_zeros() as i32;
    let normalised = (fraction << (MANTISSA_BITS as i32 - top)) & MANTISSA_MASK;
    (top - 1074, normalised)
}

/// The bucket index of a positive magnitude at `schema`. `magnitude` must be greater than 0
/// and not NaN; `+Inf` gets the bucket after `f64::MAX`'s.
#[inline]
pub(crate) fn bucket_index(magnitude: f64, schema: i8) -> i32 {
    // +Inf decomposes as 2^1024, which lands in f64::MAX's bucket; it takes the next one.
    let infinite = magnitude.to_bits() >> MANTISSA_BITS == 0x7ff;
    let (exponent, fraction) = decompose(magnitude);
    let index = if schema > 0 {
        // The number of the octave's bounds (bound j is 2^(j/2^s), j in 0..2^s) below the
        // value: the count below the value's cell, plus the one bound the cell may hold.
        let stride = (MAX_SCHEMA - schema) as u32;
        let cell = (fraction >> (51 - schema as u32)) as usize;
        let base = usize::from(CELL_BASE[cell_offset(schema) + cell]);
        let below = base + usize::from(OCTAVE_FRACTIONS[base << stride] < fraction);
        (exponent << schema) + below as i32
    } else {
        // Schema 0 index: the smallest k with value <= 2^k; then one bucket per 2^-s of those.
        let octave = exponent + i32::from(fraction != 0);
        reduce_index(octave, (-schema) as u32)
    };
    index + i32::from(infinite)
}

/// The index a bucket gets when the schema is lowered by `steps` (each step merges buckets
/// `2j - 1` and `2j` into bucket `j`): `ceil(index / 2^steps)`.
#[inline]
pub(crate) const fn reduce_index(index: i32, steps: u32) -> i32 {
    if steps == 0 {
        return index;
    }
    // An arithmetic shift rounds toward -inf, so adding 2^steps - 1 first rounds up.
    (index + ((1 << steps) - 1)) >> steps
}

/// The upper bound of bucket `index` at `schema` (`+Inf` past `f64::MAX`).
pub fn bucket_upper_bound(index: i32, schema: i8) -> f64 {
    if schema > 0 {
        let per_octave = 1i32 << schema;
        let octave = index.div_euclid(per_octave);
        let within = index.rem_euclid(per_octave) as usize;
        scale(
            OCTAVE_BOUNDS[within << (MAX_SCHEMA - schema) as u32],
            octave,
        )
    } else {
        let exponent = i64::from(index) << (-schema) as u32;
        scale(1.0, exponent.clamp(-2000, 2000) as i32)
    }
}

/// `value * 2^exponent` for `value` in `[1, 2)`: exact when the result is a normal number,
/// `+Inf` past the range, rounded to a subnormal or 0 below it.
fn scale(value: f64, exponent: i32) -> f64 {
    // A power of two built from its bits is exact; two factors reach below the normal range.
    let power = |e: i32| f64::from_bits(((e + 1023) as u64) << MANTISSA_BITS);
    if exponent > 1023 {
        return f64::INFINITY;
    }
    if exponent >= -1022 {
        return value * power(exponent);
    }
    value * power(-1022) * power((exponent + 1022).max(-1022))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_two_to_the_k_over_256() {
        for (k, bound) in OCTAVE_BOUNDS.iter().enumerate() {
            let expected = 2f64.powf(k as f64 / 256.0);
            assert!(
                (bound - expected).abs() <= 2.0 * f64::EPSILON,
                "k {k}: {bound} vs {expected}"
            );
        }
        assert_eq!(OCTAVE_BOUNDS[128], std::f64::consts::SQRT_2);
    }

    #[test]
    fn subnormals_decompose_exactly() {
        assert_eq!(decompose(f64::from_bits(1)), (-1074, 0));
        assert_eq!(decompose(f64::from_bits(3)), (-1073, 1 << 51));
        assert_eq!(decompose(f64::MIN_POSITIVE), (-1022, 0));
        assert_eq!(decompose(1.5), (0, 1 << 51));
    }

    #[test]
    fn index_and_bound_agree() {
        for schema in MIN_SCHEMA..=MAX_SCHEMA {
            for value in [1e-300, 3e-7, 0.001, 0.7, 1.0, 1.1, 2.5, 1000.0, 7e12, 1e300] {
                let index = bucket_index(value, schema);
                assert!(
                    bucket_upper_bound(index - 1, schema) < value,
                    "schema {schema} value {value} index {index}"
                );
                assert!(
                    value <= bucket_upper_bound(index, schema),
                    "schema {schema} value {value} index {index}"
                );
            }
        }
    }
}
