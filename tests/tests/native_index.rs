//! Native histogram bucket indexes against values worked out by hand: exact powers of two,
//! the floats either side of a bound, subnormals, the ends of the range, ±Inf and NaN.

use oxios_metrics::native::{bucket_index, bucket_upper_bound, MAX_SCHEMA, MIN_SCHEMA};

fn two_to(exponent: i32) -> f64 {
    2f64.powi(exponent)
}

#[test]
fn schema_zero_buckets_are_powers_of_two() {
    let cases = [
        (1.0, 0),
        (2.0, 1),
        (0.5, -1),
        (0.75, 0),
        (1.0f64.next_up(), 1),
        (4.0, 2),
        (4.0f64.next_up(), 3),
        (4.0f64.next_down(), 2),
        (f64::MIN_POSITIVE, -1022),
        (f64::from_bits(1), -1074),       // 5e-324, the smallest subnormal
        (f64::from_bits(3), -1072),       // 3 * 2^-1074 is in (2^-1073, 2^-1072]
        (f64::from_bits(1 << 51), -1023), // 2^-1023, a subnormal power of two
        (f64::MAX, 1024),
        (f64::INFINITY, 1025),
    ];
    for (value, expected) in cases {
        assert_eq!(bucket_index(value, 0), Some(expected), "value {value:e}");
        assert_eq!(
            bucket_index(-value, 0),
            Some(expected),
            "value {:e}",
            -value
        );
    }
}

#[test]
fn schema_three_splits_each_octave_in_eight() {
    let root_two = std::f64::consts::SQRT_2; // 2^(4/8) rounded: the printed bound of bucket 4
    let cases = [
        (1.0, 0),
        (1.0f64.next_up(), 1),
        (2.0, 8),
        (root_two, 4),
        (root_two.next_up(), 5),
        (root_two.next_down(), 4),
        (1.0905077326652577, 1), // 2^(1/8)
        (1.0905077326652577f64.next_up(), 2),
        (0.25, -16),
        (3.0, 13),
        (f64::from_bits(1), -8592),
        (f64::MAX, 8192),
        (f64::INFINITY, 8193),
    ];
    for (value, expected) in cases {
        assert_eq!(bucket_index(value, 3), Some(expected), "value {value:e}");
    }
}

#[test]
fn finest_and_coarsest_schemas() {
    assert_eq!(bucket_index(1.0, 8), Some(0));
    assert_eq!(bucket_index(1.0f64.next_up(), 8), Some(1));
    assert_eq!(bucket_index(2.0, 8), Some(256));
    assert_eq!(bucket_index(f64::from_bits(1), 8), Some(-274_944));
    assert_eq!(bucket_index(f64::MAX, 8), Some(262_144));
    assert_eq!(bucket_index(f64::INFINITY, 8), Some(262_145));
    // Schema -4: one bucket per 2^16.
    assert_eq!(bucket_index(1.0, -4), Some(0));
    assert_eq!(bucket_index(0.5, -4), Some(0));
    assert_eq!(bucket_index(2.0, -4), Some(1));
    assert_eq!(bucket_index(65536.0, -4), Some(1));
    assert_eq!(bucket_index(65537.0, -4), Some(2));
    assert_eq!(bucket_index(two_to(-16), -4), Some(-1));
    assert_eq!(bucket_index(f64::from_bits(1), -4), Some(-67));
    assert_eq!(bucket_index(f64::MAX, -4), Some(64));
    assert_eq!(bucket_index(f64::INFINITY, -4), Some(65));
    // Schema -1: buckets (1, 4], (4, 16], ...
    assert_eq!(bucket_index(3.0, -1), Some(1));
    assert_eq!(bucket_index(4.0, -1), Some(1));
    assert_eq!(bucket_index(5.0, -1), Some(2));
}

#[test]
fn nan_zero_and_bad_schemas_have_no_index() {
    for schema in MIN_SCHEMA..=MAX_SCHEMA {
        assert_eq!(bucket_index(f64::NAN, schema), None);
        assert_eq!(bucket_index(0.0, schema), None);
        assert_eq!(bucket_index(-0.0, schema), None);
    }
    assert_eq!(bucket_index(1.0, 9), None);
    assert_eq!(bucket_index(1.0, -5), None);
}

/// Every printed bound closes its bucket, and the next float opens the following one, across
/// several octaves of every schema (about 3,000 bounds each at schema 8).
#[test]
fn every_bound_is_inclusive() {
    for schema in MIN_SCHEMA..=MAX_SCHEMA {
        let per_octave = if schema > 0 { 1i32 << schema } else { 1 };
        for index in -6 * per_octave..6 * per_octave {
            let bound = bucket_upper_bound(index, schema);
            assert_eq!(
                bucket_index(bound, schema),
                Some(index),
                "schema {schema}, bound {bound:e} of bucket {index}"
            );
            assert_eq!(
                bucket_index(bound.next_up(), schema),
                Some(index + 1),
                "schema {schema}, just above {bound:e}"
            );
        }
    }
}

/// Lowering the schema by one merges buckets 2j-1 and 2j into j: computing the index at the
/// coarser schema directly gives the same answer, for values on and between bounds.
#[test]
fn reduction_maps_indexes_exactly() {
    let mut values = vec![
        f64::from_bits(1),
        f64::from_bits(3),
        f64::MAX,
        f64::INFINITY,
    ];
    for schema in MIN_SCHEMA..=MAX_SCHEMA {
        for index in -40..40 {
            let bound = bucket_upper_bound(index, schema);
            values.extend([bound, bound.next_up(), bound.next_down()]);
        }
    }
    values.extend((1..2000).map(|k| f64::from(k) * 0.37));
    for value in values {
        for schema in (MIN_SCHEMA + 1)..=MAX_SCHEMA {
            let fine = bucket_index(value, schema).expect("finite positive");
            let coarse = bucket_index(value, schema - 1).expect("finite positive");
            assert_eq!(
                (fine + 1) >> 1,
                coarse,
                "value {value:e} schema {schema}: bucket {fine} should merge into {coarse}"
            );
        }
    }
}
