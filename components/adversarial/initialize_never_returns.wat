;; _initialize that never returns: stopped by the deadline during instantiation
(module

  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  ;; bump allocator: aligns, grows memory when needed, never frees (reset by cabi_post_process)
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
  (func $process (export "process") (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.const 64))
  (func (export "cabi_post_process") (param i32) (global.set $heap (i32.const 4096)))
  ;; flush, snapshot, restore: an all-zero area at 64 is ok(empty) / an empty list / ok
  (func (export "flush") (param i32 i32) (result i32) (i32.const 64))
  (func (export "cabi_post_flush") (param i32))
  (func (export "snapshot") (result i32) (i32.const 64))
  (func (export "cabi_post_snapshot") (param i32))
  (func (export "restore") (param i32 i32) (result i32) (i32.const 64))
  (func (export "cabi_post_restore") (param i32))
  (func (export "_initialize") (loop $forever (br $forever)))
)
