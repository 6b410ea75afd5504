//! Cache integration layer: see the crate README.
