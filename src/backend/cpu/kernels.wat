;; The cpu backend's kernels, in WebAssembly text. wat.ts assembles this file when the backend loads.
;;
;; Every thread instantiates this module over one shared memory. A kernel fills a range of its output
;; (its last two parameters), so a job is split across threads by handing out ranges. Addresses and
;; strides are in bytes, sizes in elements; all data is float32. Callers guarantee sizes >= 1.
;;
;; The matrix product is the GEMM of BLIS and XNNPACK, reduced to its core:
;;   1. pack A into panels of 4 rows and B into panels of 8 columns, each laid out in the order the
;;      micro-kernel reads it (this is where transposed operands are read through their strides);
;;   2. for each 4x8 tile of C, the micro-kernel keeps the tile in 8 SIMD registers (f32x4) and adds
;;      one rank-1 update per step of the inner dimension: 4 broadcasts of A times 2 vectors of B.
;;      It multiplies and adds with f32x4.relaxed_madd: one fused multiply-add where the engine has
;;      relaxed SIMD, a multiply then an add otherwise (wat.ts lowers it; both are valid results).
(module
  (import "env" "memory" (memory 1 32768 shared))

  ;; The address of row i of a strided matrix, clamped to the last row n-1: packing repeats the
  ;; last row (or column) into the padding of a partial panel, whose results are never read.
  (func $clamped (param $base i32) (param $stride i32) (param $i i32) (param $n i32) (result i32)
    (if (i32.ge_u (local.get $i) (local.get $n)) (then (local.set $i (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $stride))))

  ;; A [n, k] (byte strides rs, cs) into panels of 4 rows: panel q is, for p = 0..k-1, the four
  ;; values a[4q..4q+3][p], at dst + q*k*16. Panels q0..q1-1.
  (func $pack_a (export "pack_a")
    (param $src i32) (param $rs i32) (param $cs i32) (param $n i32) (param $k i32) (param $dst i32)
    (param $q0 i32) (param $q1 i32)
    (local $q i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $d i32) (local $p i32)
    (local.set $q (local.get $q0))
    (block $done (loop $panel
      (br_if $done (i32.ge_u (local.get $q) (local.get $q1)))
      (local.set $r0 (call $clamped (local.get $src) (local.get $rs) (i32.shl (local.get $q) (i32.const 2)) (local.get $n)))
      (local.set $r1 (call $clamped (local.get $src) (local.get $rs) (i32.add (i32.shl (local.get $q) (i32.const 2)) (i32.const 1)) (local.get $n)))
      (local.set $r2 (call $clamped (local.get $src) (local.get $rs) (i32.add (i32.shl (local.get $q) (i32.const 2)) (i32.const 2)) (local.get $n)))
      (local.set $r3 (call $clamped (local.get $src) (local.get $rs) (i32.add (i32.shl (local.get $q) (i32.const 2)) (i32.const 3)) (local.get $n)))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $q) (i32.shl (local.get $k) (i32.const 4)))))
      (local.set $p (local.get $k))
      (if (i32.and (i32.eq (local.get $rs) (i32.const 4)) (i32.lt_u (i32.add (i32.shl (local.get $q) (i32.const 2)) (i32.const 3)) (local.get $n)))
        (then
          ;; Four whole rows that are adjacent floats (A is a transposed view): one vector per step.
          (loop $vector
            (v128.store (local.get $d) (v128.load (local.get $r0)))
            (local.set $r0 (i32.add (local.get $r0) (local.get $cs)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $vector (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          (loop $gather
            (f32.store (local.get $d) (f32.load (local.get $r0)))
            (f32.store offset=4 (local.get $d) (f32.load (local.get $r1)))
            (f32.store offset=8 (local.get $d) (f32.load (local.get $r2)))
            (f32.store offset=12 (local.get $d) (f32.load (local.get $r3)))
            (local.set $r0 (i32.add (local.get $r0) (local.get $cs)))
            (local.set $r1 (i32.add (local.get $r1) (local.get $cs)))
            (local.set $r2 (i32.add (local.get $r2) (local.get $cs)))
            (local.set $r3 (i32.add (local.get $r3) (local.get $cs)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $gather (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $panel))))

  ;; B [k, m] (byte strides rs, cs) into panels of 8 columns: panel q is, for p = 0..k-1, the eight
  ;; values b[p][8q..8q+7], at dst + q*k*32. Panels q0..q1-1.
  (func $pack_b (export "pack_b")
    (param $src i32) (param $rs i32) (param $cs i32) (param $k i32) (param $m i32) (param $dst i32)
    (param $q0 i32) (param $q1 i32)
    (local $q i32) (local $j i32) (local $d i32) (local $p i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $c4 i32) (local $c5 i32) (local $c6 i32) (local $c7 i32)
    (local.set $q (local.get $q0))
    (block $done (loop $panel
      (br_if $done (i32.ge_u (local.get $q) (local.get $q1)))
      (local.set $j (i32.shl (local.get $q) (i32.const 3)))
      (local.set $c0 (call $clamped (local.get $src) (local.get $cs) (local.get $j) (local.get $m)))
      (local.set $c1 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 1)) (local.get $m)))
      (local.set $c2 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 2)) (local.get $m)))
      (local.set $c3 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 3)) (local.get $m)))
      (local.set $c4 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 4)) (local.get $m)))
      (local.set $c5 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 5)) (local.get $m)))
      (local.set $c6 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 6)) (local.get $m)))
      (local.set $c7 (call $clamped (local.get $src) (local.get $cs) (i32.add (local.get $j) (i32.const 7)) (local.get $m)))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $q) (i32.shl (local.get $k) (i32.const 5)))))
      (local.set $p (local.get $k))
      (if (i32.and (i32.eq (local.get $cs) (i32.const 4)) (i32.lt_u (i32.add (local.get $j) (i32.const 7)) (local.get $m)))
        (then
          ;; Eight whole columns of adjacent floats (B row-major): two vectors per step.
          (loop $vector
            (v128.store (local.get $d) (v128.load (local.get $c0)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $c0)))
            (local.set $c0 (i32.add (local.get $c0) (local.get $rs)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $vector (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          ;; Any other layout (B transposed: each column is a run of adjacent floats).
          (loop $gather
            (f32.store (local.get $d) (f32.load (local.get $c0)))
            (f32.store offset=4 (local.get $d) (f32.load (local.get $c1)))
            (f32.store offset=8 (local.get $d) (f32.load (local.get $c2)))
            (f32.store offset=12 (local.get $d) (f32.load (local.get $c3)))
            (f32.store offset=16 (local.get $d) (f32.load (local.get $c4)))
            (f32.store offset=20 (local.get $d) (f32.load (local.get $c5)))
            (f32.store offset=24 (local.get $d) (f32.load (local.get $c6)))
            (f32.store offset=28 (local.get $d) (f32.load (local.get $c7)))
            (local.set $c0 (i32.add (local.get $c0) (local.get $rs)))
            (local.set $c1 (i32.add (local.get $c1) (local.get $rs)))
            (local.set $c2 (i32.add (local.get $c2) (local.get $rs)))
            (local.set $c3 (i32.add (local.get $c3) (local.get $rs)))
            (local.set $c4 (i32.add (local.get $c4) (local.get $rs)))
            (local.set $c5 (i32.add (local.get $c5) (local.get $rs)))
            (local.set $c6 (i32.add (local.get $c6) (local.get $rs)))
            (local.set $c7 (i32.add (local.get $c7) (local.get $rs)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $gather (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $panel))))

  ;; C = A B from packed panels (pack_a, pack_b) with inner dimension k. The tile of row panel i and
  ;; column panel j (rows 4i..4i+3, columns 8j..8j+7) is stored at c + (4i*ldc + 8j)*4, where ldc,
  ;; C's row length in floats, covers whole panels. Row panels i0..i1-1, column panels j0..j1-1.
  ;; Column panels are the outer loop: one panel of B (k*32 bytes) stays in L1 while the panels of
  ;; A stream past it.
  (func $gemm (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $k i32)
    (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (local $i i32) (local $j i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $p i32) (local $row i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $row (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $j (local.get $j0))
    (block $columns_done (loop $columns
      (br_if $columns_done (i32.ge_u (local.get $j) (local.get $j1)))
      (local.set $i (local.get $i0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (i32.shl (local.get $k) (i32.const 4)))))
        (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $p (local.get $k))
        ;; The micro-kernel: c[r] += a[r] * b for the 4 rows r, one step of k per iteration.
        (loop $step
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $x (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
          (local.set $c01 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
          (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
          (local.set $c11 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
          (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
          (local.set $c21 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
          (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
          (local.set $c31 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $step (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
        (local.set $pc (i32.add (local.get $c)
          (i32.shl (i32.add (i32.mul (i32.shl (local.get $i) (i32.const 2)) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 3))) (i32.const 2))))
        (v128.store (local.get $pc) (local.get $c00)) (v128.store offset=16 (local.get $pc) (local.get $c01))
        (local.set $pc (i32.add (local.get $pc) (local.get $row)))
        (v128.store (local.get $pc) (local.get $c10)) (v128.store offset=16 (local.get $pc) (local.get $c11))
        (local.set $pc (i32.add (local.get $pc) (local.get $row)))
        (v128.store (local.get $pc) (local.get $c20)) (v128.store offset=16 (local.get $pc) (local.get $c21))
        (local.set $pc (i32.add (local.get $pc) (local.get $row)))
        (v128.store (local.get $pc) (local.get $c30)) (v128.store offset=16 (local.get $pc) (local.get $c31))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $columns))))

  ;; Convolution through im2col. The columns matrix of a convolution has one row per (c, ki, kj) and
  ;; one column per output position (n, oy, ox):
  ;;   cols[kk = (c*kh + ki)*kw + kj][p = (n*outH + oy)*outW + ox] = x[n, c, oy*strideH - padH + ki, ox*strideW - padW + kj]
  ;; (0 where that falls in the padding). Its entry (kk, p) is stored at
  ;;   base + (kk >> 3)*kPanel + (kk & 7)*kLane + (p >> 3)*pPanel + (p & 7)*pLane
  ;; which describes a plain row-major matrix (kLane = row bytes, kPanel = 8 rows, pLane = 4,
  ;; pPanel = 32) as well as the packed panels of pack_b, for cols as the right operand of a product
  ;; (kLane = 32, kPanel = 256, pLane = 4, pPanel = K*32) or for its transpose (kLane = 4,
  ;; kPanel = P*32, pLane = 32, pPanel = 256): im2col writes straight into the GEMM's layout.

;; For kernel column kj: the first output column whose input column ox*strideW + kj - padW is not
  ;; left of the image, and how many output columns from there have their input column inside it
  ;; (0 when none). im2col and col2im work these out once per kernel offset.
  (func $first_column (param $kj i32) (param $strideW i32) (param $padW i32) (result i32)
    (local $lo i32)
    (local.set $lo (i32.sub (local.get $padW) (local.get $kj)))
    (if (result i32) (i32.le_s (local.get $lo) (i32.const 0)) (then (i32.const 0))
      (else (i32.div_s (i32.add (local.get $lo) (i32.sub (local.get $strideW) (i32.const 1))) (local.get $strideW)))))

  (func $column_span (param $lo i32) (param $kj i32) (param $strideW i32) (param $padW i32) (param $width i32) (param $outW i32) (result i32)
    (local $hi i32)
    (local.set $hi (i32.sub (i32.add (i32.sub (local.get $width) (i32.const 1)) (local.get $padW)) (local.get $kj)))
    (local.set $hi (if (result i32) (i32.lt_s (local.get $hi) (i32.const 0)) (then (i32.const 0))
      (else (i32.add (i32.div_s (local.get $hi) (local.get $strideW)) (i32.const 1)))))
    (if (i32.gt_s (local.get $hi) (local.get $outW)) (then (local.set $hi (local.get $outW))))
    (if (result i32) (i32.gt_s (local.get $hi) (local.get $lo)) (then (i32.sub (local.get $hi) (local.get $lo))) (else (i32.const 0))))

  ;; im2col for images n0..n1-1 of x (byte strides sn, sc, sh, sw; channels, height, width).
  ;; For each kernel offset (c, ki, kj) it walks the output positions p in order: the destination
  ;; advances by pLane, jumping to the next panel after 8 lanes; the source advances by one stride
  ;; per output column, over the columns [lo, lo + span) whose input column lies inside the image
  ;; (computed once per offset), and a whole output row reads as padding when its input row does.
  (func $im2col (export "im2col")
    (param $x i32) (param $sn i32) (param $sc i32) (param $sh i32) (param $sw i32)
    (param $channels i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padH i32) (param $padW i32) (param $outH i32) (param $outW i32)
    (param $dst i32) (param $kPanel i32) (param $kLane i32) (param $pPanel i32) (param $pLane i32)
    (param $n0 i32) (param $n1 i32)
    (local $n i32) (local $c i32) (local $ki i32) (local $kj i32) (local $kk i32) (local $oy i32) (local $ox i32)
    (local $p i32) (local $iy i32) (local $value f32)
    (local $d i32) (local $lane i32) (local $s i32) (local $step i32) (local $jump i32) (local $lo i32) (local $span i32)
    (local $rowSpan i32) (local $first i32)
    (local.set $step (i32.mul (local.get $strideW) (local.get $sw)))
    (local.set $jump (i32.sub (local.get $pPanel) (i32.shl (local.get $pLane) (i32.const 3))))
    (local.set $n (local.get $n0))
    (block $images_done (loop $images
      (br_if $images_done (i32.ge_u (local.get $n) (local.get $n1)))
      (local.set $kk (i32.const 0))
      (local.set $c (i32.const 0))
      (loop $channel
        (local.set $ki (i32.const 0))
        (loop $kernel_rows
          (local.set $kj (i32.const 0))
          (loop $kernel_columns
            ;; output columns [lo, lo + span) whose input column ox*strideW + kj - padW is in [0, width)
            (local.set $lo (call $first_column (local.get $kj) (local.get $strideW) (local.get $padW)))
            (local.set $span (call $column_span (local.get $lo) (local.get $kj) (local.get $strideW) (local.get $padW) (local.get $width) (local.get $outW)))
            (local.set $first (i32.mul (i32.sub (i32.add (i32.mul (local.get $lo) (local.get $strideW)) (local.get $kj)) (local.get $padW)) (local.get $sw)))
            (local.set $p (i32.mul (local.get $n) (i32.mul (local.get $outH) (local.get $outW))))
            (local.set $lane (i32.and (local.get $p) (i32.const 7)))
            (local.set $d (i32.add (local.get $dst)
              (i32.add (i32.add (i32.mul (i32.shr_u (local.get $kk) (i32.const 3)) (local.get $kPanel)) (i32.mul (i32.and (local.get $kk) (i32.const 7)) (local.get $kLane)))
                (i32.add (i32.mul (i32.shr_u (local.get $p) (i32.const 3)) (local.get $pPanel)) (i32.mul (local.get $lane) (local.get $pLane))))))
            (local.set $oy (i32.const 0))
            (loop $output_rows
              (local.set $iy (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $strideH)) (local.get $ki)) (local.get $padH)))
              ;; unsigned: a negative input row wraps to a large one and reads as padding
              (local.set $rowSpan (select (local.get $span) (i32.const 0) (i32.lt_u (local.get $iy) (local.get $height))))
              (local.set $s (i32.add (i32.add (local.get $x) (local.get $first))
                (i32.add (i32.add (i32.mul (local.get $n) (local.get $sn)) (i32.mul (local.get $c) (local.get $sc))) (i32.mul (local.get $iy) (local.get $sh)))))
              (local.set $ox (i32.const 0))
              (loop $output_columns
                (local.set $value (f32.const 0))
                (if (i32.lt_u (i32.sub (local.get $ox) (local.get $lo)) (local.get $rowSpan))
                  (then
                    (local.set $value (f32.load (local.get $s)))
                    (local.set $s (i32.add (local.get $s) (local.get $step)))))
                (f32.store (local.get $d) (local.get $value))
                (local.set $d (i32.add (local.get $d) (local.get $pLane)))
                (if (i32.eq (local.tee $lane (i32.add (local.get $lane) (i32.const 1))) (i32.const 8))
                  (then
                    (local.set $lane (i32.const 0))
                    (local.set $d (i32.add (local.get $d) (local.get $jump)))))
                (br_if $output_columns (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW))))
              (br_if $output_rows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br_if $kernel_columns (i32.lt_u (local.tee $kj (i32.add (local.get $kj) (i32.const 1))) (local.get $kw))))
          (br_if $kernel_rows (i32.lt_u (local.tee $ki (i32.add (local.get $ki) (i32.const 1))) (local.get $kh))))
        (br_if $channel (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $channels))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

;; im2col into the transposed layout (cols^T as the right operand of a product: entry (kk, p) at
  ;; dst + (kk >> 3)*P*32 + (kk & 7)*4 + p*32), for kernels whose width is a multiple of 4 over rows
  ;; of adjacent floats (sw = 4). Four consecutive kernel columns of one kernel row are then four
  ;; adjacent floats in both x and cols^T: inside the image one vector load and one store move all
  ;; four, instead of four scalar steps; at the image's edges each float is checked on its own.
  ;; For each image, each group of 8 rows kk and each half of it (4 rows: one kernel row's quad),
  ;; positions p run in order, so a group's 32-byte lines are filled while they are in cache.
  ;; Images n0..n1-1.
  (func $im2col_quads (export "im2col_quads")
    (param $x i32) (param $sn i32) (param $sc i32) (param $sh i32)
    (param $channels i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padH i32) (param $padW i32) (param $outH i32) (param $outW i32)
    (param $dst i32) (param $positions i32) (param $n0 i32) (param $n1 i32)
    (local $n i32) (local $kk i32) (local $rows i32) (local $c i32) (local $r i32) (local $ki i32) (local $kj i32)
    (local $oy i32) (local $ox i32) (local $iy i32) (local $ix i32) (local $j i32)
    (local $line i32) (local $d i32) (local $row i32) (local $plane i32) (local $value f32)
    (local.set $rows (i32.mul (i32.mul (local.get $channels) (local.get $kh)) (local.get $kw)))
    (local.set $plane (i32.mul (local.get $outH) (local.get $outW)))
    (local.set $n (local.get $n0))
    (block $images_done (loop $images
      (br_if $images_done (i32.ge_u (local.get $n) (local.get $n1)))
      (local.set $kk (i32.const 0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.ge_u (local.get $kk) (local.get $rows)))
        ;; kk = (c*kh + ki)*kw + kj, kj a multiple of 4
        (local.set $c (i32.div_u (local.get $kk) (i32.mul (local.get $kh) (local.get $kw))))
        (local.set $r (i32.rem_u (local.get $kk) (i32.mul (local.get $kh) (local.get $kw))))
        (local.set $ki (i32.div_u (local.get $r) (local.get $kw)))
        (local.set $kj (i32.rem_u (local.get $r) (local.get $kw)))
        ;; the quad's first entry for this image's first position
        (local.set $line (i32.add (local.get $dst)
          (i32.add (i32.add (i32.mul (i32.shr_u (local.get $kk) (i32.const 3)) (i32.shl (local.get $positions) (i32.const 5)))
            (i32.shl (i32.and (local.get $kk) (i32.const 7)) (i32.const 2)))
            (i32.shl (i32.mul (local.get $n) (local.get $plane)) (i32.const 5)))))
        (local.set $oy (i32.const 0))
        (loop $output_rows
          (local.set $iy (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $strideH)) (local.get $ki)) (local.get $padH)))
          (local.set $d (i32.add (local.get $line) (i32.shl (i32.mul (local.get $oy) (local.get $outW)) (i32.const 5))))
          (local.set $row (i32.add (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $sn)))
            (i32.add (i32.mul (local.get $c) (local.get $sc)) (i32.mul (local.get $iy) (local.get $sh)))))
          (local.set $ox (i32.const 0))
          ;; unsigned: a negative input row wraps to a large one and reads as padding
          (if (i32.lt_u (local.get $iy) (local.get $height))
            (then
              (loop $output_columns
                (local.set $ix (i32.sub (i32.add (i32.mul (local.get $ox) (local.get $strideW)) (local.get $kj)) (local.get $padW)))
                (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.le_s (i32.add (local.get $ix) (i32.const 4)) (local.get $width)))
                  (then (v128.store (local.get $d) (v128.load (i32.add (local.get $row) (i32.shl (local.get $ix) (i32.const 2))))))
                  (else
                    (local.set $j (i32.const 0))
                    (loop $edge
                      (local.set $value (f32.const 0))
                      (if (i32.lt_u (i32.add (local.get $ix) (local.get $j)) (local.get $width))
                        (then (local.set $value (f32.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $ix) (local.get $j)) (i32.const 2)))))))
                      (f32.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))) (local.get $value))
                      (br_if $edge (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 4))))))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (br_if $output_columns (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW)))))
            (else
              (loop $padding_row
                (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (br_if $padding_row (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW))))))
          (br_if $output_rows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
        (local.set $kk (i32.add (local.get $kk) (i32.const 4)))
        (br $quads)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  ;; col2im, the adjoint of im2col: gx[n, c, iy, ix] = the sum of the cols entries im2col reads from
  ;; that pixel, cols in the layout above. gx is contiguous [batch, channels, height, width]. Images
  ;; n0..n1-1 (each is zeroed, then accumulated; images share no pixel, so ranges never collide).
  ;; Like im2col it works out, once per kernel offset, the output columns [lo, lo + span) whose input
  ;; column is inside the image, so the inner loop only adds: the destination advances by one stride,
  ;; the source by pLane, jumping to the next panel after 8 lanes.
  (func $col2im (export "col2im")
    (param $cols i32) (param $kPanel i32) (param $kLane i32) (param $pPanel i32) (param $pLane i32)
    (param $gx i32) (param $channels i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
    (param $strideH i32) (param $strideW i32) (param $padH i32) (param $padW i32) (param $outH i32) (param $outW i32)
    (param $n0 i32) (param $n1 i32)
    (local $n i32) (local $c i32) (local $ki i32) (local $kj i32) (local $kk i32) (local $oy i32) (local $i i32)
    (local $p i32) (local $iy i32) (local $plane i32) (local $image i32) (local $base i32)
    (local $lo i32) (local $span i32) (local $first i32) (local $step i32) (local $jump i32)
    (local $d i32) (local $s i32) (local $lane i32)
    (local.set $plane (i32.shl (i32.mul (local.get $height) (local.get $width)) (i32.const 2)))
    (local.set $step (i32.shl (local.get $strideW) (i32.const 2)))
    (local.set $jump (i32.sub (local.get $pPanel) (i32.shl (local.get $pLane) (i32.const 3))))
    (local.set $n (local.get $n0))
    (block $images_done (loop $images
      (br_if $images_done (i32.ge_u (local.get $n) (local.get $n1)))
      (local.set $image (i32.add (local.get $gx) (i32.mul (i32.mul (local.get $n) (local.get $channels)) (local.get $plane))))
      (memory.fill (local.get $image) (i32.const 0) (i32.mul (local.get $channels) (local.get $plane)))
      (local.set $kk (i32.const 0))
      (local.set $c (i32.const 0))
      (loop $channel
        (local.set $ki (i32.const 0))
        (loop $kernel_rows
          (local.set $kj (i32.const 0))
          (loop $kernel_columns
            ;; output columns [lo, lo + span) whose input column ox*strideW + kj - padW is in [0, width)
            (local.set $lo (call $first_column (local.get $kj) (local.get $strideW) (local.get $padW)))
            (local.set $span (call $column_span (local.get $lo) (local.get $kj) (local.get $strideW) (local.get $padW) (local.get $width) (local.get $outW)))
            ;; byte offset, within an input row, of output column lo's input column
            (local.set $first (i32.shl (i32.sub (i32.add (i32.mul (local.get $lo) (local.get $strideW)) (local.get $kj)) (local.get $padW)) (i32.const 2)))
            (local.set $base (i32.add (local.get $cols)
              (i32.add (i32.mul (i32.shr_u (local.get $kk) (i32.const 3)) (local.get $kPanel)) (i32.mul (i32.and (local.get $kk) (i32.const 7)) (local.get $kLane)))))
            (local.set $oy (i32.const 0))
            (if (local.get $span) (then (loop $output_rows
              (local.set $iy (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $strideH)) (local.get $ki)) (local.get $padH)))
              ;; unsigned: a negative input row wraps to a large one and is skipped
              (if (i32.lt_u (local.get $iy) (local.get $height))
                (then
                  (local.set $d (i32.add (i32.add (local.get $image) (i32.mul (local.get $c) (local.get $plane)))
                    (i32.add (i32.shl (i32.mul (local.get $iy) (local.get $width)) (i32.const 2)) (local.get $first))))
                  (local.set $p (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outH)) (local.get $oy)) (local.get $outW)) (local.get $lo)))
                  (local.set $lane (i32.and (local.get $p) (i32.const 7)))
                  (local.set $s (i32.add (local.get $base)
                    (i32.add (i32.mul (i32.shr_u (local.get $p) (i32.const 3)) (local.get $pPanel)) (i32.mul (local.get $lane) (local.get $pLane)))))
                  (local.set $i (local.get $span))
                  (loop $output_columns
                    (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
                    (local.set $d (i32.add (local.get $d) (local.get $step)))
                    (local.set $s (i32.add (local.get $s) (local.get $pLane)))
                    (if (i32.eq (local.tee $lane (i32.add (local.get $lane) (i32.const 1))) (i32.const 8))
                      (then
                        (local.set $lane (i32.const 0))
                        (local.set $s (i32.add (local.get $s) (local.get $jump)))))
                    (br_if $output_columns (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))))
              (br_if $output_rows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br_if $kernel_columns (i32.lt_u (local.tee $kj (i32.add (local.get $kj) (i32.const 1))) (local.get $kw))))
          (br_if $kernel_rows (i32.lt_u (local.tee $ki (i32.add (local.get $ki) (i32.const 1))) (local.get $kh))))
        (br_if $channel (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $channels))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  ;; dst [B, A, L] (contiguous) from src [A, B, L] with byte strides sa and sb and runs of L adjacent
  ;; floats: swaps the two outer axes, as NCHW <-> CNHW needs. Blocks b0..b1-1 of the B axis.
  (func $swap_outer (export "swap_outer")
    (param $src i32) (param $sa i32) (param $sb i32) (param $dst i32) (param $count_a i32) (param $run i32)
    (param $b0 i32) (param $b1 i32)
    (local $b i32) (local $a i32) (local $bytes i32) (local $d i32)
    (local.set $bytes (i32.shl (local.get $run) (i32.const 2)))
    (local.set $b (local.get $b0))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $d (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $b) (local.get $count_a)) (local.get $bytes))))
      (local.set $a (i32.const 0))
      (loop $runs
        (memory.copy (local.get $d) (i32.add (local.get $src) (i32.add (i32.mul (local.get $a) (local.get $sa)) (i32.mul (local.get $b) (local.get $sb))))
          (local.get $bytes))
        (local.set $d (i32.add (local.get $d) (local.get $bytes)))
        (br_if $runs (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 1))) (local.get $count_a))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $blocks))))

  ;; ---- element-wise ----------------------------------------------------------------------------
  ;;
  ;; Four floats at a time. Buffers carry slack after their end (wasm.ts allocates it), so a loop
  ;; always runs whole vectors: the lanes past n compute garbage nobody reads, and no scalar tail is
  ;; needed. exp and log have no WebAssembly instruction: they are computed below from their
  ;; definitions (range reduction, then a polynomial). Measured over every 997th float32: exp within
  ;; 1 unit in the last place of the exact result, log 0.8, sigmoid 2.2 (it inherits exp's error).

  ;; e^x = 2^k e^r with k = round(x / ln 2) and |r| <= ln(2)/2, e^r from its Taylor series to r^7
  ;; (the first omitted term is below 6e-9 relative: under float32's precision). ln 2 is split in
  ;; two (Cody and Waite) so that k ln2_hi is exact. 2^k is built from exponent bits in two halves,
  ;; so results that are subnormal (x < -87.3) or overflow (x > 88.7) come out right.
  ;; exp_run computes it for the vectors from src into dst, up to dst's end, in one loop (a function
  ;; called once per vector cost about twice as much).
  (func $exp_run (param $src i32) (param $dst i32) (param $end i32) (param $mode i32)
    (local $x v128) (local $k v128) (local $r v128) (local $p v128) (local $ki v128) (local $k1 v128) (local $m v128) (local $sign v128)
    ;; mode 1 (sigmoid's first pass): exp(-|x|), with x's sign bit kept on the result (-|x| is x with
    ;; its sign bit set); mode 0: exp(x), m = 0 changing nothing.
    (local.set $m (i32x4.splat (i32.shl (local.get $mode) (i32.const 31))))
    (loop $next
      (local.set $x (v128.load (local.get $src)))
      (local.set $sign (v128.and (local.get $x) (local.get $m)))
      (local.set $x (v128.or (local.get $x) (local.get $m)))
      ;; Clamping keeps k in range; NaN passes through (pmin and pmax return their first operand
      ;; unless the second compares smaller or larger: single instructions, where min and max
      ;; take several to order NaN and zeros).
      (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (v128.const f32x4 89 89 89 89)) (v128.const f32x4 -104 -104 -104 -104)))
      (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
      (local.set $r (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
        (f32x4.mul (local.get $k) (v128.const f32x4 1.42860677e-6 1.42860677e-6 1.42860677e-6 1.42860677e-6))))
      ;; 1 + (r + r^2 q(r)) with q = 1/2! + r/3! + ... + r^5/7! by Horner's rule: adding the 1 last
      ;; leaves rounding only in the small terms (about one unit in the last place in all).
      (local.set $p (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $p)) (local.get $r))
        (v128.const f32x4 1 1 1 1)))
      ;; times 2^k1 * 2^k2 with k1 = k >> 1, k2 = k - k1: each a normal float ((k + 127) << 23)
      (local.set $ki (i32x4.trunc_sat_f32x4_s (local.get $k)))
      (local.set $k1 (i32x4.shr_s (local.get $ki) (i32.const 1)))
      (v128.store (local.get $dst) (v128.or (local.get $sign)
          (f32x4.mul
            (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (local.get $k1) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
            (i32x4.shl (i32x4.add (i32x4.sub (local.get $ki) (local.get $k1)) (v128.const i32x4 127 127 127 127)) (i32.const 23)))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (br_if $next (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end)))))

  ;; log x = e ln 2 + log m for x = m 2^e with m = 1 + f in [sqrt(1/2), sqrt(2)). With s = f/(2 + f),
  ;; log(1 + f) = 2 atanh s = 2s + s R, R = z (2/3 + z (2/5 + z (2/7 + z 2/9))), z = s^2 (|s| <= 0.172:
  ;; the terms left out are below 3e-9 relative). Since 2s = f - f^2/2 + s f^2/2, it is evaluated as
  ;; f - (f^2/2 - s (f^2/2 + R)) (fdlibm's form): the leading f is exact and rounding touches only
  ;; the small correction, which keeps the result within about one unit in the last place.
  ;; Subnormal inputs are scaled by 2^23 first; 0, negative numbers, infinity and NaN get IEEE's
  ;; answers (-inf, NaN, inf, NaN).
  ;; log_run computes it for whole vectors from src into dst up to end, as exp_run does.
  (func $log_run (param $src i32) (param $dst i32) (param $end i32)
    (local $x v128) (local $tiny v128) (local $m v128) (local $e v128) (local $big v128) (local $f v128) (local $s v128) (local $z v128)
    (local $hf v128) (local $p v128) (local $ef v128) (local $r v128)
    (loop $next
      (local.set $x (v128.load (local.get $src)))
      (local.set $tiny (f32x4.lt (local.get $x) (v128.const f32x4 1.17549435e-38 1.17549435e-38 1.17549435e-38 1.17549435e-38)))
      (local.set $m (v128.bitselect (f32x4.mul (local.get $x) (v128.const f32x4 8388608 8388608 8388608 8388608)) (local.get $x) (local.get $tiny)))
      ;; the exponent field, unbiased (and 23 less for the scaled subnormals)
      (local.set $e (i32x4.sub (i32x4.shr_u (local.get $m) (i32.const 23)) (v128.const i32x4 127 127 127 127)))
      (local.set $e (i32x4.add (local.get $e) (v128.and (local.get $tiny) (v128.const i32x4 -23 -23 -23 -23))))
      ;; the mantissa as a float in [1, 2), halved above sqrt(2) (with e one higher)
      (local.set $m (v128.or (v128.and (local.get $m) (v128.const i32x4 0x007fffff 0x007fffff 0x007fffff 0x007fffff))
        (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)))
      (local.set $big (f32x4.gt (local.get $m) (v128.const f32x4 1.41421356 1.41421356 1.41421356 1.41421356)))
      (local.set $m (v128.bitselect (f32x4.mul (local.get $m) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $m) (local.get $big)))
      (local.set $e (i32x4.sub (local.get $e) (local.get $big)))
      (local.set $f (f32x4.sub (local.get $m) (v128.const f32x4 1 1 1 1)))
      (local.set $s (f32x4.div (local.get $f) (f32x4.add (local.get $f) (v128.const f32x4 2 2 2 2))))
      (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
      (local.set $hf (f32x4.mul (f32x4.mul (local.get $f) (local.get $f)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      ;; R = z (2/3 + z (2/5 + z (2/7 + z 2/9)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $z) (v128.const f32x4 0.222222222 0.222222222 0.222222222 0.222222222))
        (v128.const f32x4 0.285714286 0.285714286 0.285714286 0.285714286)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.4 0.4 0.4 0.4)))
      (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.666666667 0.666666667 0.666666667 0.666666667)))
      (local.set $p (f32x4.mul (local.get $p) (local.get $z)))
      ;; e ln2_hi + (f - (hf - (s (hf + R) + e ln2_lo)))
      (local.set $ef (f32x4.convert_i32x4_s (local.get $e)))
      (local.set $r (f32x4.add
        (f32x4.mul (local.get $ef) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))
        (f32x4.sub (local.get $f)
          (f32x4.sub (local.get $hf)
            (f32x4.add (f32x4.mul (local.get $s) (f32x4.add (local.get $hf) (local.get $p)))
              (f32x4.mul (local.get $ef) (v128.const f32x4 1.42860677e-6 1.42860677e-6 1.42860677e-6 1.42860677e-6)))))))
      (local.set $r (v128.bitselect (v128.const f32x4 -inf -inf -inf -inf) (local.get $r) (f32x4.eq (local.get $x) (v128.const f32x4 0 0 0 0))))
      (local.set $r (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $r) (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0))))
      (v128.store (local.get $dst)
        (v128.bitselect (local.get $x) (local.get $r)
          (v128.or (f32x4.eq (local.get $x) (v128.const f32x4 inf inf inf inf)) (f32x4.ne (local.get $x) (local.get $x)))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (br_if $next (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end)))))

  ;; dst = op(src) over n floats (rounded up to whole vectors); the op's parameters p0 and p1 are
  ;; two f64 at the byte address params. The op codes, in order:
  ;; 0 copy, 1 neg, 2 abs, 3 sqrt, 4 square, 5 reciprocal, 6 relu, 7 clamp to [p0, p1], 8 exp, 9 log,
  ;; 10 sigmoid, 11 step, 12 leaky relu with slope p0. Each follows scalar_ops.ts exactly, NaN included
  ;; (relu of NaN is NaN, step of NaN 0). The op is chosen once, and each op has a loop of its own:
  ;; choosing it per vector, inside one shared loop, cost more than most ops themselves.
  (func $map (param $op i32) (param $src i32) (param $dst i32) (param $n i32) (param $params i32)
    (local $end i32) (local $x v128) (local $lo v128) (local $hi v128) (local $e v128) (local $slope v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 2))))
    (if (i32.ge_u (local.get $dst) (local.get $end)) (then (return)))
    (local.set $lo (f32x4.splat (f32.demote_f64 (f64.load (local.get $params)))))
    (local.set $hi (f32x4.splat (f32.demote_f64 (f64.load offset=8 (local.get $params)))))
    (local.set $slope (f64x2.splat (f64.load (local.get $params))))
    (block $unknown
    (block $leaky_relu (block $step (block $sigmoid (block $log (block $exp (block $clamp (block $relu (block $reciprocal (block $square (block $sqrt (block $abs (block $neg (block $copy 
      (br_table $copy $neg $abs $sqrt $square $reciprocal $relu $clamp $exp $log $sigmoid $step $leaky_relu $unknown (local.get $op)))
      (loop $copy_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (local.get $x))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $copy_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $neg_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (f32x4.neg (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $neg_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $abs_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (f32x4.abs (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $abs_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $sqrt_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (f32x4.sqrt (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $sqrt_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $square_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $square_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $reciprocal_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (f32x4.div (v128.const f32x4 1 1 1 1) (local.get $x)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $reciprocal_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      ;; x where not x <= 0, so NaN stays NaN
      (loop $relu_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (v128.andnot (local.get $x) (f32x4.le (local.get $x) (v128.const f32x4 0 0 0 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $relu_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      ;; x < lo ? lo : x > hi ? hi : x (NaN stays NaN)
      (loop $clamp_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (v128.bitselect (local.get $hi) (v128.bitselect (local.get $lo) (local.get $x) (f32x4.lt (local.get $x) (local.get $lo))) (f32x4.gt (local.get $x) (local.get $hi))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $clamp_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (call $exp_run (local.get $src) (local.get $dst) (local.get $end) (i32.const 0))
      (return))
      (call $log_run (local.get $src) (local.get $dst) (local.get $end))
      (return))
      ;; The same two branches as the reference's sigmoid, on e = exp(-|x|) (never overflows):
      ;; 1 / (1 + e) for x >= 0, e / (1 + e) otherwise; one division, so one rounding after exp's.
      ;; exp_run leaves e with x's sign bit, which picks the branch (x = -0 gives 0.5 either way).
      (call $exp_run (local.get $src) (local.get $dst) (local.get $end) (i32.const 1))
      (loop $sigmoid_loop
        (local.set $x (v128.load (local.get $dst)))
        (local.set $e (f32x4.abs (local.get $x)))
        (v128.store (local.get $dst) (f32x4.div
          (v128.bitselect (local.get $e) (v128.const f32x4 1 1 1 1) (i32x4.lt_s (local.get $x) (v128.const i32x4 0 0 0 0)))
          (f32x4.add (local.get $e) (v128.const f32x4 1 1 1 1))))
        (br_if $sigmoid_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $step_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (v128.and (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $step_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      ;; x where x > 0, else slope * x (NaN stays NaN), the product taken in float64 as the scalar
      ;; op takes it (the slope need not be a float32) and rounded once: two lanes at a time.
      (loop $leaky_relu_loop
        (local.set $x (v128.load (local.get $src)))
        (v128.store (local.get $dst) (v128.bitselect (local.get $x)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (local.get $slope)))
            (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))) (local.get $slope))))
          (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $leaky_relu_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
    ;; an op code past the last
    (unreachable))

  ;; map over the floats i0..i1-1 of src into dst: the form the backend calls, alone or through the
  ;; thread pool.
  (func $map_range (export "map_range") (param $op i32) (param $src i32) (param $dst i32) (param $params i32) (param $i0 i32) (param $i1 i32)
    (call $map (local.get $op) (i32.add (local.get $src) (i32.shl (local.get $i0) (i32.const 2))) (i32.add (local.get $dst) (i32.shl (local.get $i0) (i32.const 2)))
      (i32.sub (local.get $i1) (local.get $i0)) (local.get $params)))

  ;; dst = op(a, b) over n floats. An operand's step is 16 (a vector per step) or 0 (one value,
  ;; broadcast). The op codes: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum, 6 gt, 7 ge, 8 lt,
  ;; 9 le, 10 eq, 11 ne; comparisons give 1 or 0 (their all-ones lanes masked to 1.0), maximum and
  ;; minimum follow scalar_ops.ts on NaN. As in map, each op has a loop of its own.
  (func $zip (export "zip") (param $op i32) (param $a i32) (param $sa i32) (param $b i32) (param $sb i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $x v128) (local $y v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 2))))
    (if (i32.ge_u (local.get $dst) (local.get $end)) (then (return)))
    (local.set $x (v128.load32_splat (local.get $a)))
    (local.set $y (v128.load32_splat (local.get $b)))
    (block $unknown
    (block $ne (block $eq (block $le (block $lt (block $ge (block $gt (block $minimum (block $maximum (block $div (block $mul (block $sub (block $add 
      (br_table $add $sub $mul $div $maximum $minimum $gt $ge $lt $le $eq $ne $unknown (local.get $op)))
      (loop $add_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (f32x4.add (local.get $x) (local.get $y)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $add_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $sub_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (f32x4.sub (local.get $x) (local.get $y)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $sub_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $mul_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (f32x4.mul (local.get $x) (local.get $y)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $mul_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $div_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (f32x4.div (local.get $x) (local.get $y)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $div_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      ;; x where x >= y or x is NaN (x != x), else y: a NaN on either side wins
      (loop $maximum_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.bitselect (local.get $x) (local.get $y) (v128.or (f32x4.ge (local.get $x) (local.get $y)) (f32x4.ne (local.get $x) (local.get $x)))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $maximum_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $minimum_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.bitselect (local.get $x) (local.get $y) (v128.or (f32x4.le (local.get $x) (local.get $y)) (f32x4.ne (local.get $x) (local.get $x)))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $minimum_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $gt_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.gt (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $gt_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $ge_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.ge (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $ge_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $lt_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.lt (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $lt_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $le_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.le (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $le_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $eq_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.eq (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $eq_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
      (loop $ne_loop
        (if (local.get $sa) (then (local.set $x (v128.load (local.get $a)))))
        (if (local.get $sb) (then (local.set $y (v128.load (local.get $b)))))
        (v128.store (local.get $dst) (v128.and (f32x4.ne (local.get $x) (local.get $y)) (v128.const f32x4 1 1 1 1)))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (br_if $ne_loop (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))
      (return))
    ;; an op code past the last
    (unreachable))

  ;; zip over rows: dst [rows, n] (contiguous) = op(a, b), row r = q*inner + j of a at a + q*aq + j*aj
  ;; (bytes), of b likewise, each row's floats at step sa or sb (16 or 0) as in zip. Rows r0..r1-1:
  ;; the form the thread pool splits.
  (func $zip_rows (export "zip_rows")
    (param $op i32) (param $a i32) (param $aq i32) (param $aj i32) (param $sa i32)
    (param $b i32) (param $bq i32) (param $bj i32) (param $sb i32)
    (param $dst i32) (param $inner i32) (param $n i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $q i32) (local $j i32)
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $q (i32.div_u (local.get $r) (local.get $inner)))
      (local.set $j (i32.sub (local.get $r) (i32.mul (local.get $q) (local.get $inner))))
      (call $zip (local.get $op)
        (i32.add (local.get $a) (i32.add (i32.mul (local.get $q) (local.get $aq)) (i32.mul (local.get $j) (local.get $aj)))) (local.get $sa)
        (i32.add (local.get $b) (i32.add (i32.mul (local.get $q) (local.get $bq)) (i32.mul (local.get $j) (local.get $bj)))) (local.get $sb)
        (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))) (local.get $n))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; ---- reductions -------------------------------------------------------------------------------
  ;;
  ;; Sums accumulate in float64 (each vector of four floats widened to two f64x2), as the reference
  ;; backend does, so a long sum loses nothing to float32 rounding. Max follows scalar_ops.ts: NaN
  ;; wins (f32x4.max and f32.max both return NaN when either side is NaN). Here the lanes past n
  ;; would be summed, so each row ends with a scalar loop.

  ;; Sums widen a vector's upper two floats to f64x2 with a shuffle then promote_low, written out
  ;; where they are used: a function call per vector cost about as much as the sum itself.

  ;; dst[r] = op over the row src[r*n .. r*n + n) (op 0 sum, 1 max), rows r0..r1-1.
  (func $reduce_rows (export "reduce_rows") (param $op i32) (param $src i32) (param $dst i32) (param $n i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $p i32) (local $end i32) (local $vend i32) (local $x v128) (local $lo v128) (local $hi v128)
    (local $sum f64) (local $max f32)
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $p (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $vend (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
      (if (i32.eqz (local.get $op))
        (then
          (local.set $lo (v128.const f64x2 0 0))
          (local.set $hi (v128.const f64x2 0 0))
          (block $vectors_done (loop $vectors
            (br_if $vectors_done (i32.ge_u (local.get $p) (local.get $vend)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $x))))
            (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vectors)))
          (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
          (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
          (block $tail_done (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $tail)))
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))) (f32.demote_f64 (local.get $sum))))
        (else
          (local.set $x (v128.const f32x4 -inf -inf -inf -inf))
          (block $vectors_done (loop $vectors
            (br_if $vectors_done (i32.ge_u (local.get $p) (local.get $vend)))
            (local.set $x (f32x4.max (local.get $x) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vectors)))
          (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $x)) (f32x4.extract_lane 1 (local.get $x)))
            (f32.max (f32x4.extract_lane 2 (local.get $x)) (f32x4.extract_lane 3 (local.get $x)))))
          (block $tail_done (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $max (f32.max (local.get $max) (f32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $tail)))
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))) (local.get $max))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

;; dst[b] = op over src [outer, middle, inner] with the middle index b (op 0 sum, 1 max): a per-channel
  ;; reduction of [N, C, H, W] (batch norm's statistics, a convolution's bias gradient), each sum
  ;; accumulated in float64 from start to end. Channels b0..b1-1.
  (func $reduce_middle (export "reduce_middle") (param $op i32) (param $src i32) (param $dst i32) (param $outer i32) (param $middle i32) (param $inner i32) (param $b0 i32) (param $b1 i32)
    (local $b i32) (local $a i32) (local $p i32) (local $end i32) (local $vend i32) (local $x v128) (local $lo v128) (local $hi v128)
    (local $sum f64) (local $max f32) (local $vmax v128)
    (local.set $b (local.get $b0))
    (block $done (loop $channels
      (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $lo (v128.const f64x2 0 0))
      (local.set $hi (v128.const f64x2 0 0))
      (local.set $sum (f64.const 0))
      (local.set $vmax (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $max (f32.const -inf))
      (local.set $a (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $a) (local.get $outer)))
        (local.set $p (i32.add (local.get $src) (i32.shl (i32.mul (i32.add (i32.mul (local.get $a) (local.get $middle)) (local.get $b)) (local.get $inner)) (i32.const 2))))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $inner) (i32.const 2))))
        (local.set $vend (i32.add (local.get $p) (i32.shl (i32.and (local.get $inner) (i32.const -4)) (i32.const 2))))
        (if (i32.eqz (local.get $op))
          (then
            (block $vectors_done (loop $vectors
              (br_if $vectors_done (i32.ge_u (local.get $p) (local.get $vend)))
              (local.set $x (v128.load (local.get $p)))
              (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $x))))
              (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br $vectors)))
            (block $tail_done (loop $tail
              (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
              (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (local.get $p)))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br $tail))))
          (else
            (block $vectors_done (loop $vectors
              (br_if $vectors_done (i32.ge_u (local.get $p) (local.get $vend)))
              (local.set $vmax (f32x4.max (local.get $vmax) (v128.load (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br $vectors)))
            (block $tail_done (loop $tail
              (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
              (local.set $max (f32.max (local.get $max) (f32.load (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br $tail)))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows)))
      (if (i32.eqz (local.get $op))
        (then
          (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $b) (i32.const 2)))
            (f32.demote_f64 (f64.add (local.get $sum) (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))))))
        (else
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $b) (i32.const 2)))
            (f32.max (local.get $max) (f32.max (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
              (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax))))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $channels))))

  ;; dst[j] = op over the rows of src [rows, n] of column j (op 0 sum, 1 max): a reduction over the
  ;; leading axis (the batch sum of a bias gradient). Sums go through acc, n float64s of scratch.
  (func $reduce_columns (export "reduce_columns") (param $op i32) (param $src i32) (param $dst i32) (param $acc i32) (param $n i32) (param $rows i32)
    (local $r i32) (local $p i32) (local $q i32) (local $j i32) (local $vn i32) (local $x v128)
    (local.set $vn (i32.and (local.get $n) (i32.const -4)))
    (if (i32.eqz (local.get $op))
      (then (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))))
      (else
        (local.set $j (i32.const 0))
        (block $filled (loop $fill
          (br_if $filled (i32.ge_u (local.get $j) (local.get $n)))
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))) (f32.const -inf))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $fill)))))
    (local.set $p (local.get $src))
    (local.set $r (i32.const 0))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vectors_done (loop $vectors
        (br_if $vectors_done (i32.ge_u (local.get $j) (local.get $vn)))
        (local.set $x (v128.load (local.get $p)))
        (if (i32.eqz (local.get $op))
          (then
            (local.set $q (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (f64x2.promote_low_f32x4 (local.get $x))))
            (v128.store offset=16 (local.get $q) (f64x2.add (v128.load offset=16 (local.get $q)) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))))
          (else
            (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))))
            (v128.store (local.get $q) (f32x4.max (v128.load (local.get $q)) (local.get $x)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vectors)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $n)))
        (if (i32.eqz (local.get $op))
          (then
            (local.set $q (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $q) (f64.add (f64.load (local.get $q)) (f64.promote_f32 (f32.load (local.get $p))))))
          (else
            (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store (local.get $q) (f32.max (f32.load (local.get $q)) (f32.load (local.get $p))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows)))
    (if (i32.eqz (local.get $op))
      (then
        (local.set $j (i32.const 0))
        (block $stored (loop $store
          (br_if $stored (i32.ge_u (local.get $j) (local.get $n)))
          (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
            (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $store))))))

  ;; ---- copies ----------------------------------------------------------------------------------

  ;; dst [rows, cols] (contiguous) = src read with byte strides rs, cs: a strided view made dense.
  ;; Rows of adjacent floats are block copies; a transposed view (adjacent rows, rs = 4) goes four
  ;; by four through a 4x4 transpose in registers; anything else element by element. Rows r0..r1-1.
  (func $copy2d (export "copy2d") (param $src i32) (param $rs i32) (param $cs i32) (param $cols i32) (param $dst i32) (param $r0 i32) (param $r1 i32)
    (local $i i32) (local $j i32) (local $s i32) (local $d i32) (local $row i32)
    (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $row (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $i (local.get $r0))
    (if (i32.eq (local.get $cs) (i32.const 4))
      (then
        (block $done (loop $rows
          (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
          (memory.copy (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $row)))
            (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rs))) (local.get $row))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
        (return)))
    (if (i32.eq (local.get $rs) (i32.const 4))
      (then
        ;; blocks of four rows: load four columns (each four adjacent floats), transpose, store four rows
        (block $blocks_done (loop $blocks
          (br_if $blocks_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $r1)))
          (local.set $j (i32.const 0))
          (block $columns_done (loop $columns
            (br_if $columns_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
            (local.set $s (i32.add (local.get $src) (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $j) (local.get $cs)))))
            (local.set $a (v128.load (local.get $s)))
            (local.set $b (v128.load (i32.add (local.get $s) (local.get $cs))))
            (local.set $c (v128.load (i32.add (local.get $s) (i32.shl (local.get $cs) (i32.const 1)))))
            (local.set $e (v128.load (i32.add (local.get $s) (i32.mul (local.get $cs) (i32.const 3)))))
            ;; [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 e0 c1 e1], [c2 e2 c3 e3]
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $e)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $e)))
            (local.set $d (i32.add (local.get $dst) (i32.add (i32.mul (local.get $i) (local.get $row)) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (local.set $d (i32.add (local.get $d) (local.get $row)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $d (i32.add (local.get $d) (local.get $row)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (local.set $d (i32.add (local.get $d) (local.get $row)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $columns)))
          ;; the last cols % 4 columns of these four rows
          (block $tail_done (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $s (i32.add (local.get $src) (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $j) (local.get $cs)))))
            (local.set $d (i32.add (local.get $dst) (i32.add (i32.mul (local.get $i) (local.get $row)) (i32.shl (local.get $j) (i32.const 2)))))
            (f32.store (local.get $d) (f32.load (local.get $s)))
            (f32.store (i32.add (local.get $d) (local.get $row)) (f32.load offset=4 (local.get $s)))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $row) (i32.const 1))) (f32.load offset=8 (local.get $s)))
            (f32.store (i32.add (local.get $d) (i32.mul (local.get $row) (i32.const 3))) (f32.load offset=12 (local.get $s)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $blocks)))))
    ;; the remaining rows (or every row, for other layouts), element by element
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rs))))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $row))))
      (local.set $j (i32.const 0))
      (block $row_done (loop $elements
        (br_if $row_done (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (local.get $d) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $cs)))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $elements)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; ---- optimizer updates -------------------------------------------------------------------------

  ;; Adam's update of elements [i0, i1) of p, g, m and v, four at a time (optim.ts adamF32 stands in
  ;; with it for the reference rule, solutions/nn/optim/adam.ts). Every value is computed as that
  ;; rule computes it in JavaScript: in float64, in its order, rounded to float32 where it stores
  ;; into a Float32Array and read back from there. Float64 arithmetic is correctly rounded in both,
  ;; so p, m and v come out the same bit for bit (NaN included: a NaN weight still poisons g under
  ;; L2, as there). The constants at $h (float64): beta1, 1 - beta1, beta2, 1 - beta2, the bias
  ;; corrections 1 - beta1^t and 1 - beta2^t, lr, eps, weightDecay, 1 - lr weightDecay.
  ;; i0 is a multiple of 4; lanes past i1 read and write the slack after each buffer.
  (func $adam (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $h i32) (param $decoupled i32) (param $i0 i32) (param $i1 i32)
    (local $o i32) (local $end i32)
    (local $w v128) (local $x v128) (local $wl v128) (local $wh v128) (local $gl v128) (local $gh v128)
    (local $ml v128) (local $mh v128) (local $vl v128) (local $vh v128) (local $mm v128) (local $vv v128)
    (local $B1 v128) (local $D1 v128) (local $B2 v128) (local $D2 v128) (local $C1 v128) (local $C2 v128)
    (local $LR v128) (local $EPS v128) (local $WD v128) (local $SHRINK v128)
    (local.set $B1 (v128.load64_splat (local.get $h)))
    (local.set $D1 (v128.load64_splat offset=8 (local.get $h)))
    (local.set $B2 (v128.load64_splat offset=16 (local.get $h)))
    (local.set $D2 (v128.load64_splat offset=24 (local.get $h)))
    (local.set $C1 (v128.load64_splat offset=32 (local.get $h)))
    (local.set $C2 (v128.load64_splat offset=40 (local.get $h)))
    (local.set $LR (v128.load64_splat offset=48 (local.get $h)))
    (local.set $EPS (v128.load64_splat offset=56 (local.get $h)))
    (local.set $WD (v128.load64_splat offset=64 (local.get $h)))
    (local.set $SHRINK (v128.load64_splat offset=72 (local.get $h)))
    (local.set $o (i32.shl (local.get $i0) (i32.const 2)))
    (local.set $end (i32.shl (local.get $i1) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $w (v128.load (i32.add (local.get $p) (local.get $o))))
      (local.set $x (v128.load (i32.add (local.get $g) (local.get $o))))
      (local.set $gl (f64x2.promote_low_f32x4 (local.get $x)))
      (local.set $gh (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
      (if (local.get $decoupled)
        (then
          ;; AdamW: the weight itself shrinks, stored (so rounded) before the step reads it
          (local.set $wl (f64x2.mul (f64x2.promote_low_f32x4 (local.get $w)) (local.get $SHRINK)))
          (local.set $wh (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))) (local.get $SHRINK)))
          (local.set $w (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $wl)) (f32x4.demote_f64x2_zero (local.get $wh)))))
        (else
          ;; Adam: L2, weightDecay w added to g
          (local.set $gl (f64x2.add (local.get $gl) (f64x2.mul (local.get $WD) (f64x2.promote_low_f32x4 (local.get $w)))))
          (local.set $gh (f64x2.add (local.get $gh) (f64x2.mul (local.get $WD) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))))))
      (local.set $wl (f64x2.promote_low_f32x4 (local.get $w)))
      (local.set $wh (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))
      ;; m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g g
      (local.set $x (v128.load (i32.add (local.get $m) (local.get $o))))
      (local.set $ml (f64x2.add (f64x2.mul (local.get $B1) (f64x2.promote_low_f32x4 (local.get $x))) (f64x2.mul (local.get $D1) (local.get $gl))))
      (local.set $mh (f64x2.add (f64x2.mul (local.get $B1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))) (f64x2.mul (local.get $D1) (local.get $gh))))
      (local.set $x (v128.load (i32.add (local.get $v) (local.get $o))))
      (local.set $vl (f64x2.add (f64x2.mul (local.get $B2) (f64x2.promote_low_f32x4 (local.get $x))) (f64x2.mul (f64x2.mul (local.get $D2) (local.get $gl)) (local.get $gl))))
      (local.set $vh (f64x2.add (f64x2.mul (local.get $B2) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))) (f64x2.mul (f64x2.mul (local.get $D2) (local.get $gh)) (local.get $gh))))
      ;; stored as float32, and read back as stored
      (local.set $mm (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $ml)) (f32x4.demote_f64x2_zero (local.get $mh))))
      (local.set $vv (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $vl)) (f32x4.demote_f64x2_zero (local.get $vh))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mm))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
      ;; w - (lr (m / c1)) / (sqrt(v / c2) + eps)
      (local.set $wl (f64x2.sub (local.get $wl)
        (f64x2.div (f64x2.mul (local.get $LR) (f64x2.div (f64x2.promote_low_f32x4 (local.get $mm)) (local.get $C1)))
          (f64x2.add (f64x2.sqrt (f64x2.div (f64x2.promote_low_f32x4 (local.get $vv)) (local.get $C2))) (local.get $EPS)))))
      (local.set $wh (f64x2.sub (local.get $wh)
        (f64x2.div (f64x2.mul (local.get $LR) (f64x2.div (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $mm) (local.get $mm))) (local.get $C1)))
          (f64x2.add (f64x2.sqrt (f64x2.div (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vv) (local.get $vv))) (local.get $C2))) (local.get $EPS)))))
      (v128.store (i32.add (local.get $p) (local.get $o))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get $wl)) (f32x4.demote_f64x2_zero (local.get $wh))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $next))))
)
