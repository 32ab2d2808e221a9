// Per-user Service Catalog carts for the two-step flow (add_to_cart, then cart/submit_order).
import { newSysId } from '../instance/sys-id.ts'

export interface CartItem {
  cartItemId: string
  catalogItemId: string
  quantity: number
  requestedFor: string | undefined
  variables: Record<string, string>
}

export interface Cart {
  cartId: string
  userName: string
  items: CartItem[]
}

export class CartStore {
  private readonly carts = new Map<string, Cart>()

  of(userName: string): Cart {
    let cart = this.carts.get(userName)
    if (!cart) {
      cart = { cartId: newSysId(), userName, items: [] }
      this.carts.set(userName, cart)
    }
    return cart
  }

  /** a submitted cart is emptied and gets a new id, as the platform does after checkout */
  checkout(userName: string): CartItem[] {
    const cart = this.of(userName)
    const items = cart.items
    this.carts.delete(userName)
    return items
  }
}
