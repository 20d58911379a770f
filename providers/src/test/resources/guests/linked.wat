;; A processor guest that uses the linked interfaces, for the providers' and host's tests (built with
;; `wat2wasm linked.wat -o linked.wasm`; the test checks the committed .wasm is what this source builds to when
;; wat2wasm is installed). On every process call it:
;;   1. reads key "count" from spindle:keyvalue/store (8 bytes, little-endian, absent = 0),
;;   2. adds the batch's sample count and writes it back,
;;   3. publishes the series name on subject "guest.out" through spindle:messaging/publisher,
;; and returns the first err of those calls as its own err (so an unlinked interface shows as the guest's error), or an
;; empty emitted. A series named "bad" makes it call publish with a subject pointer outside its memory (an ABI
;; violation the host must catch); "huge" makes it set a 300,000-byte value (over the default value limit).
;; snapshot returns the count key's value as the host last gave it; restore accepts anything.
(module
  (import "spindle:messaging/publisher@0.1.0" "publish" (func $publish (param i32 i32 i32 i32 i32)))
  (import "spindle:keyvalue/store@0.1.0" "get" (func $kv_get (param i32 i32 i32)))
  (import "spindle:keyvalue/store@0.1.0" "set" (func $kv_set (param i32 i32 i32 i32 i32)))
  (import "spindle:keyvalue/store@0.1.0" "delete" (func $kv_del (param i32 i32 i32)))
  (memory (export "memory") 8)
  (global $heap (mut i32) (i32.const 65536))
  (data (i32.const 16) "count")
  (data (i32.const 32) "guest.out")

  (func $realloc (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (block $ok
      (loop $grow
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (local.get $p))

  ;; result<emitted, string>: err(ptr, len) at 512
  (func $err (param $ptr i32) (param $len i32) (result i32)
    (i32.store8 (i32.const 512) (i32.const 1))
    (i32.store (i32.const 516) (local.get $ptr))
    (i32.store (i32.const 520) (local.get $len))
    (i32.const 512))

  ;; ok(emitted with no samples) at 512
  (func $ok_empty (result i32)
    (i32.store8 (i32.const 512) (i32.const 0))
    (i32.store (i32.const 516) (i32.const 8))
    (i32.store (i32.const 520) (i32.const 0))
    (i32.store (i32.const 524) (i32.const 8))
    (i32.store (i32.const 528) (i32.const 0))
    (i32.store (i32.const 532) (i32.const 4))
    (i32.store (i32.const 536) (i32.const 0))
    (i32.store (i32.const 540) (i32.const 0))
    (i32.store (i32.const 544) (i32.const 0))
    (i32.const 512))

  (func (export "process") (param $sp i32) (param $sl i32) (param $tp i32) (param $tn i32) (param $vp i32) (param $vn i32) (result i32)
    (local $count i64)
    ;; "bad": a subject pointer outside memory
    (if (i32.and (i32.eq (local.get $sl) (i32.const 3)) (i32.eq (i32.load8_u (local.get $sp)) (i32.const 98)))
      (then (call $publish (i32.const -16) (i32.const 100) (local.get $sp) (local.get $sl) (i32.const 256))))
    ;; "huge": a 300,000-byte value
    (if (i32.and (i32.eq (local.get $sl) (i32.const 4)) (i32.eq (i32.load8_u (local.get $sp)) (i32.const 104)))
      (then
        (call $kv_set (i32.const 16) (i32.const 5) (i32.const 0) (i32.const 300000) (i32.const 256))
        (if (i32.load8_u (i32.const 256)) (then (return (call $err (i32.load (i32.const 260)) (i32.load (i32.const 264))))))
        (return (call $ok_empty))))
    ;; get "count" -> result<option<list<u8>>, string> at 256
    (call $kv_get (i32.const 16) (i32.const 5) (i32.const 256))
    (if (i32.load8_u (i32.const 256)) (then (return (call $err (i32.load (i32.const 260)) (i32.load (i32.const 264))))))
    (if (i32.load8_u (i32.const 260))
      (then (if (i32.eq (i32.load (i32.const 268)) (i32.const 8))
        (then (local.set $count (i64.load (i32.load (i32.const 264))))))))
    (local.set $count (i64.add (local.get $count) (i64.extend_i32_u (local.get $tn))))
    (i64.store (i32.const 1024) (local.get $count))
    ;; set "count"
    (call $kv_set (i32.const 16) (i32.const 5) (i32.const 1024) (i32.const 8) (i32.const 256))
    (if (i32.load8_u (i32.const 256)) (then (return (call $err (i32.load (i32.const 260)) (i32.load (i32.const 264))))))
    ;; publish the series name on guest.out
    (call $publish (i32.const 32) (i32.const 9) (local.get $sp) (local.get $sl) (i32.const 256))
    (if (i32.load8_u (i32.const 256)) (then (return (call $err (i32.load (i32.const 260)) (i32.load (i32.const 264))))))
    (call $ok_empty))

  (func (export "cabi_post_process") (param i32))
  (func (export "flush") (param i32 i32) (result i32) (call $ok_empty))
  (func (export "cabi_post_flush") (param i32))
  (func (export "snapshot") (result i32)
    (i32.store (i32.const 600) (i32.const 1024))
    (i32.store (i32.const 604) (i32.const 8))
    (i32.const 600))
  (func (export "cabi_post_snapshot") (param i32))
  (func (export "restore") (param i32 i32) (result i32)
    (i32.store8 (i32.const 640) (i32.const 0))
    (i32.const 640))
  (func (export "cabi_post_restore") (param i32))
)
