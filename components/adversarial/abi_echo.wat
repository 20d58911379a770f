;; abi_echo: process answers with whatever its input says (for the canonical ABI fuzzer, not hostile by itself).
;; It copies the values column's bytes (at most 4,096) to address 1024 and returns the i32 found in the first 4
;; of them as its return area: the fuzzer controls the return area, the pointers and lengths in it, and the memory
;; they point at, so the host's lifting sees every shape of guest-returned data.
(module

  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))
  ;; bump allocator from 8192: aligns, grows memory when needed, never frees (reset by cabi_post_process)
  (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (block $ok
      (loop $more
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1)))
        (unreachable)))
    (local.get $p))
  ;; process(series ptr, len, times ptr, len, values ptr, len): copy min(values len, 512) doubles to 1024
  (func $process (export "process") (param i32 i32 i32 i32 i32 i32) (result i32)
    (local $i i32) (local $n i32)
    (local.set $n (local.get 5))
    (if (i32.gt_u (local.get $n) (i32.const 512)) (then (local.set $n (i32.const 512))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i64.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3)))
                   (i64.load (i32.add (local.get 4) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 64))
      (else (i32.load (i32.const 1024)))))
  (func (export "cabi_post_process") (param i32) (global.set $heap (i32.const 8192)))
  ;; flush, snapshot, restore: an all-zero area at 64 is ok(empty) / an empty list / ok
  (func (export "flush") (param i32 i32) (result i32) (i32.const 64))
  (func (export "cabi_post_flush") (param i32))
  (func (export "snapshot") (result i32) (i32.const 64))
  (func (export "cabi_post_snapshot") (param i32))
  (func (export "restore") (param i32 i32) (result i32) (i32.const 64))
  (func (export "cabi_post_restore") (param i32))

)
